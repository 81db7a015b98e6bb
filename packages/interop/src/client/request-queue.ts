/**
 * A request stream the caller feeds one message at a time, for calls whose
 * next request depends on the last response (ping-pong) or that must stay
 * open without sending (cancellation and timeout cases).
 */
export interface RequestQueue<T> extends AsyncIterable<T> {
  /** Queues a request. */
  push(message: T): void;
  /** Half-closes: the stream ends after the queued requests. Idempotent. */
  close(): void;
}

/** Creates an empty {@link RequestQueue}; it supports one consumer. */
export function createRequestQueue<T>(): RequestQueue<T> {
  const queued: T[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  return {
    push(message) {
      if (closed) {
        throw new Error("request queue already closed");
      }
      queued.push(message);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queued.shift();
        if (next !== undefined) {
          yield next;
        } else if (closed) {
          return;
        } else {
          await new Promise<void>((resolve) => (wake = resolve));
        }
      }
    },
  };
}

/** A request stream of fixed messages. */
export async function* requestsOf<T>(messages: readonly T[]): AsyncGenerator<T> {
  yield* messages;
}
