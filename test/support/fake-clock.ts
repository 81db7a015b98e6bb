import { vi } from "vitest";

/**
 * Node's own `setTimeout`, taken before any test fakes it: code that must keep
 * running on real time (and in its caller's async context) while the clock is
 * fake uses it.
 */
export const realSetTimeout = globalThis.setTimeout;

/** The clock of {@link withFakeClock}. */
export interface FakeClock {
  /** Moves the clock `ms` forward, firing every timer due meanwhile, in order. */
  advance(ms: number): Promise<void>;
}

/**
 * Runs `body` with `Date`, `setTimeout` and `clearTimeout` faked, while
 * sockets stay real. Deadline timers (grpc-js's, on the client and the server
 * side of a call) then fire only when the test advances the clock, so a busy
 * machine can neither expire a call before it reaches its handler nor make a
 * deadline look like a cancellation; a test waits for the call to arrive,
 * then expires it. Timers created meanwhile are dropped when `body` ends, so
 * `body` ends every call it starts, and awaits there every outcome that reads
 * the clock (a server tells expiry from cancellation by the time left).
 */
export async function withFakeClock<T>(body: (clock: FakeClock) => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
  try {
    return await body({
      async advance(ms) {
        await vi.advanceTimersByTimeAsync(ms);
      },
    });
  } finally {
    vi.useRealTimers();
  }
}
