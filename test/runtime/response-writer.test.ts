import { once } from "node:events";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, RpcError } from "@stubwright/runtime";
import { serverStreamingMethod } from "../../packages/runtime/src/method-definition.js";
import type { AbortFollower, PropagatedCall } from "../../packages/runtime/src/propagation.js";
import { createResponseWriter, readAheadBytes, type ResponseWriter } from "../../packages/runtime/src/server/response-writer.js";

/** A grpc-js-like server stream: object mode, 16 buffered messages, completions held until `release()`. */
function createStream() {
  const written: unknown[] = [];
  let held: (() => void)[] = [];
  let holding = true;
  const stream = new Writable({
    objectMode: true,
    highWaterMark: 16,
    write(chunk: unknown, _encoding, callback) {
      written.push(chunk);
      if (holding) {
        held.push(() => callback());
      } else {
        setImmediate(callback);
      }
    },
  });
  return {
    stream,
    written,
    /** Completes the held writes and every later one. */
    release() {
      holding = false;
      const callbacks = held;
      held = [];
      for (const callback of callbacks) callback();
    },
  };
}

function createInbound() {
  const followers = new Set<AbortFollower>();
  const inbound = {
    method: serverStreamingMethod("/test.Writer/Stream", StringValueSchema, StringValueSchema),
    deadline: Infinity,
    abortReason: undefined as RpcError | undefined,
    get signal(): AbortSignal {
      throw new Error("the writer must not create the inbound signal");
    },
    follow: (follower: AbortFollower) => void followers.add(follower),
    unfollow: (follower: AbortFollower) => void followers.delete(follower),
    abort(reason: RpcError) {
      inbound.abortReason = reason;
      for (const follower of followers) follower.inboundAborted(reason);
      followers.clear();
    },
    followers,
  };
  return inbound satisfies PropagatedCall;
}

const kib = (index: number): Buffer => Buffer.alloc(1024, index % 256);
const serialize = (message: unknown): Buffer => message as Buffer;

/** Writes `total` messages like the server's loop; returns how many it wrote before it had to wait. */
async function pump(writer: ResponseWriter, total: number, message: (index: number) => unknown, inbound: { abortReason: unknown }) {
  let pulled = 0;
  for (let index = 0; index < total; index++) {
    pulled++;
    if (!writer.write(message(index))) {
      await writer.ready();
      if (inbound.abortReason !== undefined) break;
    }
  }
  return pulled;
}

/** Writes out what the writer still holds and ends the stream, once everything is written. */
async function writeOut(writer: ResponseWriter, stream: Writable): Promise<void> {
  writer.end();
  stream.end();
  await once(stream, "finish");
}

/** Lets pending I/O callbacks and promise jobs run, a bounded number of times. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe("the server's response writer", () => {
  it("reads ahead about one flow-control window of bytes while the stream waits, no more", async () => {
    const { stream, written, release } = createStream();
    const inbound = createInbound();
    const writer = createResponseWriter(stream, inbound, serialize);
    let pulled = 0;
    const done = pump(
      writer,
      1_000,
      (index) => {
        pulled++;
        return kib(index);
      },
      inbound,
    );
    await settle();
    // 16 in the stream (one being written, 15 buffered), then 64 KiB of 1 KiB messages queued.
    expect(written).toHaveLength(1);
    expect(stream.writableLength).toBe(16);
    expect(pulled).toBe(16 + readAheadBytes / 1024);
    release();
    await done;
    await writeOut(writer, stream);
    expect(written).toHaveLength(1_000);
    expect(written.map((chunk) => (chunk as Buffer)[0])).toEqual(Array.from({ length: 1_000 }, (_, index) => index % 256));
    expect(stream.listenerCount("drain")).toBe(0);
    expect(inbound.followers.size).toBe(0);
  });

  it("without a serializer writes messages and waits for every drain, reading nothing ahead", async () => {
    const { stream, written, release } = createStream();
    const inbound = createInbound();
    const writer = createResponseWriter(stream, inbound);
    let pulled = 0;
    const done = pump(
      writer,
      100,
      (index) => {
        pulled++;
        return { index };
      },
      inbound,
    );
    await settle();
    expect(pulled).toBe(16);
    expect(written[0]).toEqual({ index: 0 });
    release();
    await done;
    await writeOut(writer, stream);
    expect(written).toHaveLength(100);
  });

  it("wakes a writer waiting for drain when the inbound call ends early", async () => {
    const { stream } = createStream();
    const inbound = createInbound();
    const writer = createResponseWriter(stream, inbound, serialize);
    const done = pump(writer, 1_000, kib, inbound);
    await settle();
    inbound.abort(new RpcError(Code.CANCELLED, "Call cancelled by the client"));
    const pulled = await done;
    expect(pulled).toBe(16 + readAheadBytes / 1024);
    writer.end();
    expect(stream.writableLength).toBe(16);
    expect(stream.listenerCount("drain")).toBe(0);
  });

  it("fails a write whose message cannot be encoded with the encoder's error, writing nothing", () => {
    const { stream, written } = createStream();
    const failure = new TypeError("cannot encode");
    const writer = createResponseWriter(stream, createInbound(), () => {
      throw failure;
    });
    expect(() => writer.write({})).toThrow(failure);
    expect(written).toEqual([]);
  });
});
