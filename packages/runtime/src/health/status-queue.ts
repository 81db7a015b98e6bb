/**
 * Hands the latest of a series of values to one async reader: a value pushed
 * while the reader is busy replaces any unread one (a watcher only needs the
 * current status, not every step in between). `close` ends the series once
 * the unread value, if any, was taken.
 */
export interface LatestValueQueue<T> {
  push(value: T): void;
  close(): void;
  /** The next value, or `undefined` once closed and drained or when `signal` aborts. */
  next(signal: AbortSignal): Promise<T | undefined>;
}

/** Creates an empty {@link LatestValueQueue}. */
export function createLatestValueQueue<T>(): LatestValueQueue<T> {
  let pending: { value: T } | undefined;
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  return {
    push(value) {
      pending = { value };
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async next(signal) {
      while (pending === undefined && !closed && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            signal.removeEventListener("abort", done);
            resolve();
          };
          wake = done;
          signal.addEventListener("abort", done, { once: true });
        });
      }
      if (signal.aborted || pending === undefined) {
        return undefined;
      }
      const { value } = pending;
      pending = undefined;
      return value;
    },
  };
}
