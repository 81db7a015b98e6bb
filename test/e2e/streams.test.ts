import { Code, RpcError } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { EchoRequestSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import {
  aborted,
  deferred,
  drain,
  failOnUnhandledRejections,
  rejection,
  sleep,
  startEchoServer,
  type Deferred,
  type EchoServer,
} from "../support/echo-server.js";
import { transportCases } from "../support/transports.js";

failOnUnhandledRejections();

/** What the server side observed, per test. */
const probe = {
  produced: 0,
  /** Resolves when the handler starts. */
  started: deferred(),
  /** Resolves when a streaming handler's generator is closed. */
  finished: deferred(),
  reason: undefined as Promise<unknown> | undefined,
  /** Resolves with the error the handler's read of the requests failed with. */
  readError: deferred<unknown>(),
  received: 0,
  startReading: deferred(),
};

function reset(): void {
  probe.produced = 0;
  probe.started = deferred();
  probe.finished = deferred();
  probe.reason = undefined;
  probe.readError = deferred();
  probe.received = 0;
  probe.startReading = deferred();
}

/** Notes that a handler started: its signal's abort reason is `probe.reason` from now on. */
function start(signal: AbortSignal): void {
  probe.reason = aborted(signal);
  probe.started.resolve();
}

const big = "x".repeat(64 * 1024);

const handlers: Partial<EchoServiceHandlers> = {
  // `repeat` messages of `message` (or 64 KiB when it is "big"), counting how many were produced.
  async *expand(request, context) {
    start(context.signal);
    const message = request.message === "big" ? big : request.message;
    try {
      for (let index = 0; index < request.repeat; index++) {
        probe.produced++;
        yield { message, index };
      }
    } finally {
      probe.finished.resolve();
    }
  },
  // Waits for `startReading` when the first request says "wait", then counts the requests.
  async collect(requests, context) {
    start(context.signal);
    try {
      let count = 0;
      for await (const request of requests) {
        if (count === 0 && request.message === "wait") {
          await probe.startReading.promise;
        }
        count++;
        probe.received = count;
      }
      return { index: count };
    } catch (error) {
      probe.readError.resolve(error);
      throw error;
    }
  },
  async *chat(requests, context) {
    start(context.signal);
    try {
      for await (const request of requests) {
        probe.received++;
        yield { message: request.message, index: request.repeat };
      }
    } catch (error) {
      probe.readError.resolve(error);
      throw error;
    } finally {
      probe.finished.resolve();
    }
  },
};

let echo: EchoServer;

/**
 * Requests numbered 0..count-1 in `repeat` (the first carries `message`, the
 * rest `filler`); counts them in `produced`; throws at `failAt`.
 */
async function* numbered(
  count: number,
  options: { message?: string; filler?: string; failAt?: number; closed?: Deferred<void> } = {},
): AsyncGenerator<MessageInitShape<typeof EchoRequestSchema>> {
  try {
    for (let index = 0; index < count; index++) {
      if (index === options.failAt) {
        // Fail only once the server is serving the call, so it sees the cancellation.
        await probe.started.promise;
        throw new Error("request source broke");
      }
      yield { message: index === 0 ? (options.message ?? "m") : (options.filler ?? "m"), repeat: index };
      produced.value = index + 1;
    }
  } finally {
    options.closed?.resolve();
  }
}
const produced = { value: 0 };

/** Waits until `read()` stops changing for 20 polls in a row (at most ~5 s). */
async function settled(read: () => number): Promise<number> {
  let last = read();
  let stable = 0;
  for (let poll = 0; poll < 500 && stable < 20; poll++) {
    await sleep(10);
    const now = read();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

describe.each(transportCases)("over $name", (transport) => {
  beforeAll(async () => {
    echo = await startEchoServer(handlers, {}, {}, transport);
  });
  afterAll(() => echo.close());

  describe("a consumer that stops early", () => {
    it("breaking out of a server stream cancels the call on the server", async () => {
      reset();
      const seen: number[] = [];
      for await (const response of echo.client.expand({ message: "m", repeat: 100_000 })) {
        seen.push(response.index);
        if (seen.length === 5) {
          break;
        }
      }
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      const reason = (await probe.reason) as RpcError;
      expect(reason.code).toBe(Code.CANCELLED);
      await probe.finished.promise;
      expect(probe.produced).toBeLessThan(100_000);
    });

    it("breaking out of a bidi stream cancels the call and closes the request iterable", async () => {
      reset();
      const closed = deferred();
      let count = 0;
      for await (const response of echo.client.chat(numbered(100_000, { closed }))) {
        count++;
        if (response.index === 2) {
          break;
        }
      }
      expect(count).toBe(3);
      expect(((await probe.reason) as RpcError).code).toBe(Code.CANCELLED);
      await Promise.all([probe.finished.promise, closed.promise]);
    });

    it("throwing inside the for-await loop cancels the call too", async () => {
      reset();
      const error = await rejection(
        (async () => {
          for await (const _ of echo.client.expand({ message: "m", repeat: 100_000 })) {
            throw new Error("consumer gave up");
          }
        })(),
      );
      expect((error as Error).message).toBe("consumer gave up");
      expect(((await probe.reason) as RpcError).code).toBe(Code.CANCELLED);
    });
  });

  describe("a request iterable that throws", () => {
    it("client streaming: the call fails with CANCELLED naming the cause, and the server sees the cancellation", async () => {
      reset();
      const error = (await rejection(echo.client.collect(numbered(10, { failAt: 3 })))) as RpcError;
      expect(error).toBeInstanceOf(RpcError);
      expect(error.code).toBe(Code.CANCELLED);
      expect(error.message).toContain("request source broke");
      expect((error.cause as Error).message).toBe("request source broke");
      expect(((await probe.reason) as RpcError).code).toBe(Code.CANCELLED);
      expect(((await probe.readError.promise) as RpcError).code).toBe(Code.CANCELLED);
    });

    it("bidi: the response iteration fails with CANCELLED naming the cause", async () => {
      reset();
      const { items, error } = await drain(echo.client.chat(numbered(10, { failAt: 3 })));
      expect(items.length).toBeLessThanOrEqual(3);
      expect((error as RpcError).code).toBe(Code.CANCELLED);
      expect((error as RpcError).message).toContain("request source broke");
      expect(((await probe.reason) as RpcError).code).toBe(Code.CANCELLED);
    });
  });

  describe("backpressure", () => {
    it("a long server stream of small messages arrives complete and in order", async () => {
      reset();
      let expected = 0;
      for await (const response of echo.client.expand({ message: "s", repeat: 10_000 })) {
        expect(response.index).toBe(expected++);
      }
      expect(expected).toBe(10_000);
    });

    it("a long client stream of small messages arrives complete", async () => {
      reset();
      const response = await echo.client.collect(numbered(10_000));
      expect(response.index).toBe(10_000);
    });

    it("a long bidi exchange arrives complete and in order", async () => {
      reset();
      let expected = 0;
      for await (const response of echo.client.chat(numbered(5_000))) {
        expect(response.index).toBe(expected++);
      }
      expect(expected).toBe(5_000);
    });

    it("a consumer that stops reading stops the server's generator (no unbounded buffering)", async () => {
      reset();
      const total = 2_000; // 2000 x 64 KiB = 125 MiB if nothing held the server back
      const iterator = echo.client.expand({ message: "big", repeat: total })[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      const stalled = await settled(() => probe.produced);
      // Only what fits in the flow-control windows and stream buffers: a few MiB at most.
      expect(stalled).toBeLessThan(200);
      // Reading again resumes the stream to the end.
      let count = 1;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        count++;
      }
      expect(count).toBe(total);
      expect(probe.produced).toBe(total);
    });

    it("a consumer that stops reading stops the server's generator also for small messages (the write-ahead window is bounded)", async () => {
      reset();
      // The server acknowledges small messages before their writes complete, up to a bound: past it
      // the generator waits, as for large ones. Without the bound, all of them would be produced.
      const total = 200_000;
      const iterator = echo.client.expand({ message: "s", repeat: total })[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      const stalled = await settled(() => probe.produced);
      // The flow-control windows and stream buffers on both sides hold a few thousand small messages.
      expect(stalled).toBeLessThan(total / 5);
      let count = 1;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        expect(next.value.index).toBe(count++);
      }
      expect(count).toBe(total);
    });

    it("a server that stops reading stops the client's request iterable", async () => {
      reset();
      produced.value = 0;
      const total = 2_000;
      const call = echo.client.collect(numbered(total, { message: "wait", filler: big }));
      // The handler holds the first request until startReading resolves.
      const stalled = await settled(() => produced.value);
      // 2000 x 64 KiB = 125 MiB if nothing held the client back.
      expect(stalled).toBeLessThan(200);
      probe.startReading.resolve();
      const response = await call;
      expect(response.index).toBe(total);
    });
  });
});
