import { EventEmitter } from "node:events";
import { create } from "@bufbuild/protobuf";
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { Client, type CallOptions as GrpcCallOptions, credentials } from "@grpc/grpc-js";
import { type CallOptions, closeClient, createClient } from "@stubwright/runtime";
import { maxWireTimeoutMs } from "@stubwright/runtime/deadline";
import { describe, expect, it, vi } from "vitest";
import { unaryMethod } from "../../packages/runtime/src/method-definition.js";

// Reading the clock is one of the dearest steps of starting a call (docs/benchmark-history.md), so a call
// reads it only for a deadline, and then once. These tests count the reads; they time nothing.

const Echo = { echo: unaryMethod("/test.Clock/Echo", StringValueSchema, StringValueSchema) };
const now = 1_000_000;

/**
 * Starts one call through a grpc-js Client that answers at once, with the clock
 * stubbed at `now`; returns how often the call read the clock before it went to
 * grpc-js, and the grpc-js options it went with.
 */
async function startCall(options?: CallOptions): Promise<{ reads: number; grpcOptions: GrpcCallOptions }> {
  const grpcClient = new Client("127.0.0.1:1", credentials.createInsecure());
  let grpcOptions: GrpcCallOptions = {};
  grpcClient.makeUnaryRequest = ((...args: unknown[]) => {
    grpcOptions = args.at(-2) as GrpcCallOptions;
    process.nextTick(args.at(-1) as () => void, null, create(StringValueSchema, { value: "ok" }));
    return Object.assign(new EventEmitter(), { cancel() {} });
  }) as never;
  const stub = createClient(Echo, grpcClient);
  const clock = vi.spyOn(Date, "now").mockReturnValue(now);
  // The call is handed to grpc-js synchronously, so every read it makes before that is counted here.
  const pending = stub.echo({ value: "x" }, options);
  const reads = clock.mock.calls.length;
  clock.mockRestore();
  await pending;
  closeClient(stub);
  return { reads, grpcOptions };
}

describe("reading the clock for a call", () => {
  it("does not happen for a call without a deadline", async () => {
    const { reads, grpcOptions } = await startCall();
    expect(reads).toBe(0);
    expect(grpcOptions.deadline).toBeUndefined();
  });

  it("happens once for a call with a timeout, whose deadline on the wire comes from that reading", async () => {
    const { reads, grpcOptions } = await startCall({ timeoutMs: 500 });
    expect(reads).toBe(1);
    expect(grpcOptions.deadline).toBe(now + 500);
  });

  it("happens once when a deadline too far for the wire is brought forward", async () => {
    const { reads, grpcOptions } = await startCall({ deadline: now + maxWireTimeoutMs * 2 });
    expect(reads).toBe(1);
    expect(grpcOptions.deadline).toBe(now + maxWireTimeoutMs);
  });
});
