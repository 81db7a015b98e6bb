import { Code, RpcError } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";
import { drain, failOnUnhandledRejections, startEchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

// The client reads response streams with its own async iterator (see
// packages/runtime/src/client/response-stream.ts); these pin down the parts
// of generator behaviour it has to reproduce.
describe("client response streams", () => {
  it("yields the messages sent before a failure, then fails with the status", async () => {
    const echo = await startEchoServer({
      async *expand() {
        yield { message: "a", index: 0 };
        yield { message: "b", index: 1 };
        throw new RpcError(Code.RESOURCE_EXHAUSTED, "no more");
      },
    });
    try {
      const { items, error } = await drain(echo.client.expand({ message: "x" }));
      expect(items.map((item) => item.message)).toEqual(["a", "b"]);
      expect(error).toBeInstanceOf(RpcError);
      expect((error as RpcError).code).toBe(Code.RESOURCE_EXHAUSTED);
    } finally {
      echo.close();
    }
  });

  it("a slow consumer gets messages in order without gaps, then the failure's status", async () => {
    const sent = 500; // far more than the reader queues before it pauses the stream
    const echo = await startEchoServer({
      async *expand() {
        for (let index = 0; index < sent; index++) {
          yield { message: "m", index };
        }
        throw new RpcError(Code.DATA_LOSS, "after the last one");
      },
    });
    try {
      const indexes: number[] = [];
      let failure: unknown;
      try {
        for await (const response of echo.client.expand({ message: "x" })) {
          indexes.push(response.index);
          // Let the rest (and the status) arrive while this consumer lags.
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        failure = error;
      }
      // grpc-js reports a failure's status as soon as it arrives and drops
      // what it has not handed to the stream yet, so a lagging consumer may
      // see fewer than were sent; never a gap, a repeat, or a lost status.
      expect(indexes.length).toBeGreaterThan(0);
      expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, index) => index));
      expect((failure as RpcError).code).toBe(Code.DATA_LOSS);
    } finally {
      echo.close();
    }
  });

  it("serves overlapping next() calls in order, then reports the end to each", async () => {
    const echo = await startEchoServer({
      async *expand() {
        for (let index = 0; index < 3; index++) {
          yield { message: String(index), index };
        }
      },
    });
    try {
      const iterator = echo.client.expand({ message: "x" })[Symbol.asyncIterator]();
      const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
      expect(results.map((result) => (result.done === true ? "done" : result.value.message))).toEqual(["0", "1", "2", "done", "done"]);
    } finally {
      echo.close();
    }
  });

  it("overlapping next() calls waiting for a failure: the first gets the status, the rest the end", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const echo = await startEchoServer({
      // biome-ignore lint/correctness/useYield: a stream that fails before its first message.
      async *expand() {
        await released;
        throw new RpcError(Code.ABORTED, "gave up");
      },
    });
    try {
      const iterator = echo.client.expand({ message: "x" })[Symbol.asyncIterator]();
      const waiting = [iterator.next(), iterator.next(), iterator.next()].map((result) =>
        result.then(
          (value) => (value.done === true ? "done" : "message"),
          (error: unknown) => (error as RpcError).code,
        ),
      );
      release();
      expect(await Promise.all(waiting)).toEqual([Code.ABORTED, "done", "done"]);
    } finally {
      echo.close();
    }
  });

  it("return() completes the next() calls still waiting and cancels the call", async () => {
    let cancelled!: () => void;
    const serverSawCancel = new Promise<void>((resolve) => (cancelled = resolve));
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const echo = await startEchoServer({
      async *expand(_request, context) {
        context.signal.addEventListener("abort", () => cancelled());
        started();
        await serverSawCancel;
        yield { message: "too late" };
      },
    });
    try {
      const iterator = echo.client.expand({ message: "x" })[Symbol.asyncIterator]();
      const waiting = [iterator.next(), iterator.next()];
      await handlerStarted;
      expect(await iterator.return?.()).toEqual({ value: undefined, done: true });
      expect(await Promise.all(waiting)).toEqual([
        { value: undefined, done: true },
        { value: undefined, done: true },
      ]);
      await serverSawCancel;
    } finally {
      echo.close();
    }
  });

  it("a stream that is never iterated makes no call; return() before the first next() ends it quietly", async () => {
    let calls = 0;
    const echo = await startEchoServer({
      async *expand() {
        calls++;
        yield { message: "never read" };
      },
      echo: (request) => ({ message: request.message }),
    });
    try {
      const stream = echo.client.expand({ message: "x" });
      const iterator = stream[Symbol.asyncIterator]();
      expect(await iterator.return?.()).toEqual({ value: undefined, done: true });
      expect(await iterator.next()).toEqual({ value: undefined, done: true });
      // A round trip on the same channel, so a call would have arrived by now.
      await echo.client.echo({ message: "ping" });
      expect(calls).toBe(0);
    } finally {
      echo.close();
    }
  });
});
