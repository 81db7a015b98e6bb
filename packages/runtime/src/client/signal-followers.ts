/** Something that must end when an AbortSignal it follows aborts. */
export interface SignalFollower {
  /** Called once, when the followed signal aborts. */
  signalAborted(): void;
}

/**
 * The calls following one signal, and the one "abort" listener that tells
 * them. A listener per call would make Node warn (MaxListenersExceededWarning)
 * once a signal is shared by more than ten calls at a time.
 */
class SignalFollowers {
  readonly followers = new Set<SignalFollower>();

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener("abort", this, { once: true });
  }

  handleEvent(): void {
    registry.delete(this.signal);
    const followers = [...this.followers];
    this.followers.clear();
    for (const follower of followers) {
      follower.signalAborted();
    }
  }

  remove(follower: SignalFollower): void {
    // The listener goes with the last follower, so a long-lived signal keeps none.
    if (this.followers.delete(follower) && this.followers.size === 0) {
      this.signal.removeEventListener("abort", this);
      registry.delete(this.signal);
    }
  }
}

const registry = new WeakMap<AbortSignal, SignalFollowers>();

/**
 * Has `follower` told once when `signal` aborts, until
 * {@link unfollowSignal}. The signal must not have aborted yet.
 */
export function followSignal(signal: AbortSignal, follower: SignalFollower): void {
  let entry = registry.get(signal);
  if (entry === undefined) {
    entry = new SignalFollowers(signal);
    registry.set(signal, entry);
  }
  entry.followers.add(follower);
}

/** Stops telling `follower` about `signal`; does nothing if it was not following. */
export function unfollowSignal(signal: AbortSignal, follower: SignalFollower): void {
  registry.get(signal)?.remove(follower);
}
