/**
 * Deadlines are kept as absolute epoch milliseconds; `Infinity` means "none".
 * grpc-js accepts a `Date` or a number for its `deadline` call option and
 * encodes it as `grpc-timeout` itself.
 */

/**
 * Resolves call options to one absolute deadline: the earliest of an explicit
 * `deadline`, `now + timeoutMs`, and an inherited deadline. Returns `Infinity`
 * when none applies.
 */
export function resolveDeadline(
  parts: {
    readonly timeoutMs?: number | undefined;
    readonly deadline?: Date | number | undefined;
    readonly inherited?: number | undefined;
  },
  now: number = Date.now(),
): number {
  let deadline = Infinity;
  if (parts.timeoutMs !== undefined) {
    if (Number.isNaN(parts.timeoutMs)) {
      throw new TypeError("timeoutMs must be a number of milliseconds, got NaN");
    }
    deadline = Math.min(deadline, now + Math.max(0, parts.timeoutMs));
  }
  if (parts.deadline !== undefined) {
    deadline = Math.min(deadline, toEpochMillis(parts.deadline));
  }
  if (parts.inherited !== undefined) {
    deadline = Math.min(deadline, parts.inherited);
  }
  return deadline;
}

/**
 * The longest timeout Stubwright puts on the wire, in milliseconds (about
 * 24.8 days). grpc-js servers read `grpc-timeout` into a 32-bit integer of
 * milliseconds, so a longer timeout wraps around and expires at once; and
 * grpc-js writes timeouts of 10^8 ms or more in whole seconds, rounded up,
 * hence the largest whole second below 2^31 ms.
 */
export const maxWireTimeoutMs = 2_147_483_000;

/**
 * The deadline to hand grpc-js for a call (which encodes it as
 * `grpc-timeout`): `undefined` for none, otherwise `deadline`, brought
 * forward to `now + maxWireTimeoutMs` when it lies further away, so every
 * peer decodes it correctly.
 */
export function wireDeadline(deadline: number, now?: number): number | undefined {
  if (deadline === Infinity) {
    return undefined;
  }
  // The clock is read only here, not as a default parameter: a call without a deadline never pays for reading it.
  const at = now ?? Date.now();
  return deadline - at > maxWireTimeoutMs ? at + maxWireTimeoutMs : deadline;
}

/** Converts a `Date` or epoch-millisecond number to epoch milliseconds. */
export function toEpochMillis(deadline: Date | number): number {
  const value = typeof deadline === "number" ? deadline : deadline.getTime();
  return Number.isNaN(value) ? Infinity : value;
}

/** Milliseconds left until `deadline` (never negative; `Infinity` for none). */
export function timeRemainingMs(deadline: number, now: number = Date.now()): number {
  return Math.max(0, deadline - now);
}
