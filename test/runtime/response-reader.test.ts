import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Code, RpcError } from "@stubwright/runtime";
import type { PreparedCall } from "../../packages/runtime/src/client/prepared-call.js";
import { readResponses } from "../../packages/runtime/src/client/response-stream.js";

/**
 * A grpc-js-like client response stream that already holds `count` messages
 * and, like grpc-js on a failed call, has ended and then emits "error".
 */
function failedStream(count: number, error: RpcError) {
  const stream = Object.assign(new Readable({ objectMode: true, read() {} }), { cancel() {} });
  for (let index = 0; index < count; index++) {
    stream.push(index);
  }
  stream.push(null);
  let ended = false;
  const call = { toError: (reason: unknown) => reason as RpcError, end: () => (ended = true) } as unknown as PreparedCall;
  return { stream, call, fail: () => stream.emit("error", error), ended: () => ended };
}

describe("client response reader", () => {
  it("yields every message the stream still buffers when the failure arrives, then the status", async () => {
    const sent = 40; // more than the reader queues before it pauses the stream
    const failure = new RpcError(Code.DATA_LOSS, "after the last one");
    const fake = failedStream(sent, failure);
    const responses = readResponses<number>(() => ({ stream: fake.stream, call: fake.call }));
    const iterator = responses[Symbol.asyncIterator]();
    const first = await iterator.next(); // starts reading: the queue fills and the stream pauses
    await new Promise((resolve) => setImmediate(resolve));
    fake.fail();
    const received = [first.value];
    let caught: unknown;
    try {
      for (let result = await iterator.next(); result.done !== true; result = await iterator.next()) {
        received.push(result.value);
      }
    } catch (error) {
      caught = error;
    }
    expect(received).toEqual(Array.from({ length: sent }, (_, index) => index));
    expect(caught).toBe(failure);
    expect(fake.ended()).toBe(true);
  });
});
