/**
 * Deadlines are kept as absolute epoch milliseconds; `Infinity` means "none".
 * grpc-js accepts a `Date` or a number for its `deadline` call option and
 * encodes it as `grpc-timeout` itself.
 */

/** The largest delay `setTimeout` honours; longer delays fire at once. */
export const maxTimerDelay = 2 ** 31 - 1;

/**
 * Resolves call options to one absolute deadline: the earliest of an explicit
 * `deadline`, `now + timeout`, and an inherited deadline. Returns `Infinity`
 * when none applies.
 */
export function resolveDeadline(
  parts: {
    readonly timeout?: number | undefined;
    readonly deadline?: Date | number | undefined;
    readonly inherited?: number | undefined;
  },
  now: number = Date.now(),
): number {
  let deadline = Infinity;
  if (parts.timeout !== undefined) {
    deadline = Math.min(deadline, now + Math.max(0, parts.timeout));
  }
  if (parts.deadline !== undefined) {
    deadline = Math.min(deadline, toEpochMillis(parts.deadline));
  }
  if (parts.inherited !== undefined) {
    deadline = Math.min(deadline, parts.inherited);
  }
  return deadline;
}

/** Converts a `Date` or epoch-millisecond number to epoch milliseconds. */
export function toEpochMillis(deadline: Date | number): number {
  const value = typeof deadline === "number" ? deadline : deadline.getTime();
  return Number.isNaN(value) ? Infinity : value;
}

/** Milliseconds left until `deadline` (never negative; `Infinity` for none). */
export function timeRemaining(deadline: number, now: number = Date.now()): number {
  return Math.max(0, deadline - now);
}

/**
 * Calls `onExpire` when `deadline` passes. Deadlines further away than
 * `setTimeout`'s 24.8-day cap are re-armed in steps instead of firing early.
 * Returns a function that cancels the timer; the timer never keeps the
 * process alive.
 */
export function onDeadline(deadline: number, onExpire: () => void): () => void {
  if (deadline === Infinity) {
    return noop;
  }
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const delay = deadline - Date.now();
    if (delay <= 0) {
      timer = undefined;
      onExpire();
      return;
    }
    timer = setTimeout(arm, Math.min(delay, maxTimerDelay));
    timer.unref();
  };
  arm();
  return () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
}

function noop(): void {}
