import { Code, RpcError, closeClient, createServer, type Metadata } from "@stubwright/runtime";
import { uncompressed } from "@stubwright/runtime/channel";
import {
  type PayloadType,
  TestServiceDefinition,
  arrivedCompressed,
  clientOptionsFor,
  createTestService,
  createTestServiceClient,
  runInteropCase,
  startInteropServer,
  zeroPayload,
  type InteropServer,
  type TestServiceClient,
} from "@stubwright/interop";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Server features of the interop spec checked one by one, and checks that the
// client cases do fail when a server lacks a feature.
let server: InteropServer;
let plain: TestServiceClient;
let gzip: TestServiceClient;
beforeAll(async () => {
  server = await startInteropServer();
  const connection = { host: "127.0.0.1", port: server.port, useTls: false };
  plain = createTestServiceClient(`127.0.0.1:${server.port}`, clientOptionsFor(connection, false));
  gzip = createTestServiceClient(`127.0.0.1:${server.port}`, clientOptionsFor(connection, true));
});
afterAll(async () => {
  closeClient(plain);
  closeClient(gzip);
  await server?.close(0);
});

async function failure(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function drain(responses: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of responses) count++;
  return count;
}

describe("compressed-flag inference", () => {
  it("sees an uncompressed message as a view behind its own frame prefix", () => {
    const frame = Buffer.from([0, 0, 0, 0, 3, 10, 1, 7]);
    expect(arrivedCompressed(frame.subarray(5))).toBe(false);
  });
  it("sees a buffer of its own, or a different prefix, as inflated", () => {
    expect(arrivedCompressed(Buffer.from([10, 1, 7]))).toBe(true);
    expect(arrivedCompressed(Buffer.from([1, 0, 0, 0, 3, 10, 1, 7]).subarray(5))).toBe(true);
    expect(arrivedCompressed(Buffer.from([0, 0, 0, 0, 9, 10, 1, 7]).subarray(5))).toBe(true);
  });
});

describe("CompressedRequest", () => {
  it("rejects a compressed message that expected none, unless the runtime's uncompressed() marks it", async () => {
    const message = () => ({ expectCompressed: { value: false }, payload: zeroPayload(1000) });
    const error = await failure(gzip.streamingInputCall(from([message()]), { timeoutMs: 30_000 }));
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    const response = await gzip.streamingInputCall(from([uncompressed(message())]), { timeoutMs: 30_000 });
    expect(response.aggregatedPayloadSize).toBe(1000);
  });

  it("makes client_compressed_unary fail against a server that cannot tell", async () => {
    const blind = createServer({ onError: () => {} }).add(TestServiceDefinition, createTestService());
    const port = await blind.listen("127.0.0.1:0");
    try {
      const error = await runInteropCase("client_compressed_unary", { host: "127.0.0.1", port, useTls: false }).catch((e: unknown) => e);
      expect(String(error)).toMatch(/probe .* expected INVALID_ARGUMENT, but the call succeeded/);
    } finally {
      blind.forceShutdown();
    }
  });
});

describe("server features", () => {
  it("answers an unsupported response_type with INVALID_ARGUMENT", async () => {
    const unsupported = 7 as PayloadType; // proto3 keeps unknown enum numbers
    expect((await failure(plain.unaryCall({ responseType: unsupported, responseSize: 1 }, { timeoutMs: 30_000 }))).code).toBe(Code.INVALID_ARGUMENT);
    const stream = plain.streamingOutputCall({ responseType: unsupported, responseParameters: [{ size: 1 }] }, { timeoutMs: 30_000 });
    expect((await failure(drain(stream))).code).toBe(Code.INVALID_ARGUMENT);
  });

  it("echoes metadata on a failing call too", async () => {
    let headers: Metadata | undefined;
    const metadata = { "x-grpc-test-echo-initial": "hello", "x-grpc-test-echo-trailing-bin": Buffer.from([1, 2, 3]) };
    const error = await failure(
      plain.unaryCall({ responseStatus: { code: Code.NOT_FOUND, message: "gone" } }, { metadata, timeoutMs: 30_000, onHeader: (h) => (headers = h) }),
    );
    expect([error.code, error.rawMessage]).toEqual([Code.NOT_FOUND, "gone"]);
    expect(headers?.get("x-grpc-test-echo-initial")).toEqual(["hello"]);
    expect(error.metadata.get("x-grpc-test-echo-trailing-bin")).toEqual([Buffer.from([1, 2, 3])]);
  });

  it("echoes a status from a streaming-output call", async () => {
    const error = await failure(drain(plain.streamingOutputCall({ responseStatus: { code: Code.ABORTED, message: "stop" } }, { timeoutMs: 30_000 })));
    expect([error.code, error.rawMessage]).toEqual([Code.ABORTED, "stop"]);
  });

  it("sleeps interval_us before a response (a long interval outlives a short deadline)", async () => {
    const slow = plain.streamingOutputCall({ responseParameters: [{ size: 1, intervalUs: 30_000_000 }] }, { timeoutMs: 200 });
    expect((await failure(drain(slow))).code).toBe(Code.DEADLINE_EXCEEDED);
    const quick = plain.streamingOutputCall(
      {
        responseParameters: [
          { size: 1, intervalUs: 1000 },
          { size: 2, intervalUs: 1000 },
        ],
      },
      { timeoutMs: 30_000 },
    );
    expect(await drain(quick)).toBe(2);
  });

  it("serves HalfDuplexCall: every answer, in order, after the half-close", async () => {
    const sizes: number[] = [];
    const requests = from([{ responseParameters: [{ size: 3 }] }, { responseParameters: [{ size: 1 }, { size: 2 }] }]);
    for await (const response of plain.halfDuplexCall(requests, { timeoutMs: 30_000 })) sizes.push(response.payload?.body.length ?? -1);
    expect(sizes).toEqual([3, 1, 2]);
  });

  it("serves CacheableUnaryCall with cache headers and a fresh timestamp", async () => {
    let headers: Metadata | undefined;
    const first = await plain.cacheableUnaryCall({}, { timeoutMs: 30_000, onHeader: (h) => (headers = h) });
    const second = await plain.cacheableUnaryCall({}, { timeoutMs: 30_000 });
    expect(headers?.get("cache-control")).toEqual(["max-age=60, public"]);
    expect(Buffer.from(first.payload?.body ?? []).toString()).toMatch(/^\d+$/);
    expect(first.payload?.body).not.toEqual(second.payload?.body);
  });

  it("rejects an unknown case name", async () => {
    const error = await runInteropCase("no_such_case", { host: "127.0.0.1", port: server.port, useTls: false }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/unknown test case "no_such_case"/);
  });
});
