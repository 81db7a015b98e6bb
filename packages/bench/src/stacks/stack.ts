/** The small message every stack sends in the small scenarios. */
export interface SmallValue {
  readonly id: bigint;
  readonly name: string;
}

/** One stack's client, reduced to what the scenarios call. */
export interface BenchClient {
  /** Unary call with a small message. */
  unary(value: SmallValue): Promise<void>;
  /** Unary call echoing a blob. */
  blob(data: Uint8Array): Promise<void>;
  /**
   * Unary call echoing the many-field `Order`; `encoded` is its encoding, which
   * each stack decodes once (before timing) into the shape its users pass.
   */
  echo(encoded: Uint8Array): Promise<void>;
  /** Client streaming: sends `count` small messages on one stream; resolves with the count the server saw. */
  upload(count: number): Promise<number>;
  /** Server streaming: resolves with the number of messages received. */
  stream(count: number): Promise<number>;
  /** Opens a bidi stream; `ping` sends one message and waits for its answer. */
  pingPong(): { ping(value: SmallValue): Promise<void>; close(): void };
  close(): void;
}

/** One stack's server. */
export interface BenchServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A stack: how to start its server and connect its client. */
export interface Stack {
  readonly name: string;
  startServer(): Promise<BenchServer>;
  connect(port: number): BenchClient;
}

/** Remembers `compute`'s result for each key (the scenarios pass the same few objects again and again). */
export function cachedBy<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key) as V;
  };
}

/** The `count` small messages of a client stream, made by `make`, as an async iterable. */
export async function* smallsIterable<T>(count: number, make: (i: number) => T): AsyncGenerator<T> {
  for (let i = 0; i < count; i++) yield make(i);
}

/** Counts the messages of an async-iterable request stream (the servers' client-streaming handler). */
export async function countRequests(requests: AsyncIterable<unknown>): Promise<{ count: number }> {
  return { count: await countIterable(requests) };
}

/** Counts the messages of an async-iterable response stream. */
export async function countIterable(responses: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of responses) count++;
  return count;
}

/**
 * A ping-pong driver for client stacks whose bidi calls take an AsyncIterable
 * of requests: `ping` queues one request (made by `toRequest`) and resolves
 * when the next response of `call` arrives.
 */
export function pingPongIterable<R>(
  toRequest: (value: SmallValue) => R,
  call: (requests: AsyncIterable<R>) => AsyncIterable<unknown>,
): ReturnType<BenchClient["pingPong"]> {
  const requests = createPushable<R>();
  const next = nextOf(call(requests.iterable));
  return {
    ping: async (value) => {
      requests.push(toRequest(value));
      await next();
    },
    close: () => requests.end(),
  };
}

/** A minimal push-based async iterable of requests. */
function createPushable<T>(): { push(value: T): void; end(): void; iterable: AsyncIterable<T> } {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  return {
    push(value) {
      queue.push(value);
      wake?.();
    },
    end() {
      done = true;
      wake?.();
    },
    iterable: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (queue.length > 0) yield queue.shift()!;
          if (done) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      },
    },
  };
}

/** Turns an async iterator of responses into "wait for the next one". */
function nextOf<T>(iterable: AsyncIterable<T>): () => Promise<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  return async () => {
    const result = await iterator.next();
    if (result.done === true) throw new Error("stream ended");
    return result.value;
  };
}
