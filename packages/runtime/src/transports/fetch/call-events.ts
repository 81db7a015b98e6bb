/** A listener of a call event; each event passes at most one argument. */
type Listener = (value?: never) => void;

/**
 * The `on`/`off` events of a call, without Node's `events` module so that
 * the fetch transports bundle for browsers. An event nobody listens to is
 * dropped: the client core always listens to "error" while a call runs.
 */
export class CallEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** Adds a listener of `event`. */
  on(event: string, listener: (value: never) => void): this {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener);
    return this;
  }

  /** Removes a listener of `event`. */
  off(event: string, listener: (value: never) => void): this {
    this.listeners.get(event)?.delete(listener as Listener);
    return this;
  }

  /** Calls the listeners of `event` with `value`, in the order they were added. */
  protected emit(event: string, value?: unknown): void {
    const set = this.listeners.get(event);
    if (set === undefined) {
      return;
    }
    for (const listener of [...set]) {
      (listener as (value: unknown) => void)(value);
    }
  }
}
