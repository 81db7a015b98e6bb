import { create, toBinary } from "@bufbuild/protobuf";
import { Code, RpcError } from "@stubwright/runtime";
import { createGrpcWebTransport } from "@stubwright/runtime/web";
import { describe, expect, it } from "vitest";
import { createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoResponseSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";

/** A gRPC-Web envelope: flags, 32-bit big-endian length, payload. */
function envelope(flags: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(5 + payload.byteLength);
  new DataView(bytes.buffer).setUint32(1, payload.byteLength);
  bytes[0] = flags;
  bytes.set(payload, 5);
  return bytes;
}

/**
 * A fetch answering a server stream of `count` messages, one per pull of the
 * body (so the pulls count what the client has read), then `trailers`; the
 * body's chunks cut envelopes in two, as a network may.
 */
function streamingFetch(count: number, trailers = "grpc-status: 0\r\n") {
  const state = { pulls: 0, cancelled: false };
  const fetch: typeof globalThis.fetch = () => {
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const index = state.pulls++;
          if (index === count) {
            controller.enqueue(envelope(0x80, new TextEncoder().encode(trailers)));
            controller.close();
            return;
          }
          const bytes = envelope(0, toBinary(EchoResponseSchema, create(EchoResponseSchema, { index, message: "m" })));
          controller.enqueue(bytes.subarray(0, 3));
          controller.enqueue(bytes.subarray(3));
        },
        cancel() {
          state.cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    return Promise.resolve(new Response(body, { status: 200, headers: { "content-type": "application/grpc-web+proto" } }));
  };
  return { fetch, state };
}

/** Waits (bounded) until `value()` stops changing over a run of event-loop turns: a producer that is held back. */
async function settled(value: () => number): Promise<number> {
  let last = -1;
  let stable = 0;
  for (let turn = 0; turn < 100_000 && stable < 50; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = value();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

describe("a fetch transport's server stream", () => {
  it("stops reading the body while the consumer is behind, and reads on as it catches up", async () => {
    const count = 5_000;
    const { fetch, state } = streamingFetch(count);
    const client = createEchoServiceClient(createGrpcWebTransport({ baseUrl: "http://stream.test", fetch }));
    const stream = client.expand({ message: "m" })[Symbol.asyncIterator]();
    expect((await stream.next()).value?.index).toBe(0);
    expect(await settled(() => state.pulls)).toBeLessThan(100);
    let received = 1;
    for (let result = await stream.next(); result.done !== true; result = await stream.next()) {
      expect(result.value.index).toBe(received++);
    }
    expect(received).toBe(count);
  });

  it("cancels the body when the consumer stops early", async () => {
    const { fetch, state } = streamingFetch(1_000_000);
    const client = createEchoServiceClient(createGrpcWebTransport({ baseUrl: "http://stream.test", fetch }));
    for await (const message of client.expand({ message: "m" })) {
      if (message.index === 2) {
        break;
      }
    }
    await settled(() => state.pulls);
    expect(state.cancelled).toBe(true);
  });

  it("fails a stream whose trailers carry no grpc-status with UNKNOWN, after its messages", async () => {
    const { fetch } = streamingFetch(3, "");
    const client = createEchoServiceClient(createGrpcWebTransport({ baseUrl: "http://stream.test", fetch }));
    const received: number[] = [];
    const error = await (async () => {
      for await (const message of client.expand({ message: "m" })) {
        received.push(message.index);
      }
    })().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(received).toEqual([0, 1, 2]);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(Code.UNKNOWN);
  });
});
