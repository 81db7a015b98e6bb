import { create, toBinary } from "@bufbuild/protobuf";
import { Code, RpcError } from "@stubwright/runtime";
import { createConnectTransport, createGrpcWebTransport } from "@stubwright/runtime/web";
import { describe, expect, it } from "vitest";
import { createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoResponseSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";

/** An envelope: flags, 32-bit big-endian length, payload. */
function envelope(flags: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(5 + payload.byteLength);
  new DataView(bytes.buffer).setUint32(1, payload.byteLength);
  bytes[0] = flags;
  bytes.set(payload, 5);
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

const text = (value: string) => new TextEncoder().encode(value);
const response = (index: number) => envelope(0, toBinary(EchoResponseSchema, create(EchoResponseSchema, { index, message: "m" })));
const grpcWebTrailers = (lines: string) => envelope(0x80, text(lines));

/** A fetch that answers every request with `body`, `status` and `headers`. */
function answering(body: Uint8Array | string, headers: Record<string, string>, status = 200): typeof globalThis.fetch {
  return () => Promise.resolve(new Response(typeof body === "string" ? body : new Blob([body]), { status, headers }));
}

const grpcWeb = { "content-type": "application/grpc-web+proto" };

/** The RpcError of a unary echo call over `fetch` (gRPC-Web unless `connect`). */
async function unaryError(fetch: typeof globalThis.fetch, connect = false): Promise<RpcError> {
  const transport = connect
    ? createConnectTransport({ baseUrl: "http://wire.test", fetch, useBinaryFormat: true })
    : createGrpcWebTransport({ baseUrl: "http://wire.test", fetch });
  const error: unknown = await createEchoServiceClient(transport)
    .echo({ message: "m" })
    .then(
      () => undefined,
      (reason: unknown) => reason,
    );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

describe("fetch transports given malformed or unusual responses", () => {
  it("fail a unary call answered with two messages: UNIMPLEMENTED", async () => {
    const error = await unaryError(answering(concat(response(0), response(1), grpcWebTrailers("grpc-status: 0\r\n")), grpcWeb));
    expect(error.code).toBe(Code.UNIMPLEMENTED);
    expect(error.message).toContain("Too many responses");
  });

  it("fail a unary call answered OK without a message: UNIMPLEMENTED", async () => {
    const error = await unaryError(answering(grpcWebTrailers("grpc-status: 0\r\n"), grpcWeb));
    expect(error.code).toBe(Code.UNIMPLEMENTED);
    expect(error.message).toContain("No message received");
  });

  it("fail a body cut in the middle of a message: INTERNAL", async () => {
    const error = await unaryError(answering(response(0).subarray(0, 7), grpcWeb));
    expect(error.code).toBe(Code.INTERNAL);
    expect(error.message).toContain("in the middle of a message");
  });

  it("fail a compressed message that was never negotiated: INTERNAL", async () => {
    const compressed = response(0);
    compressed[0] = 0x01;
    expect((await unaryError(answering(concat(compressed, grpcWebTrailers("grpc-status: 0\r\n")), grpcWeb))).code).toBe(Code.INTERNAL);
  });

  it("refuse a message over maxResponseBytes before buffering it: RESOURCE_EXHAUSTED", async () => {
    const prefix = new Uint8Array([0, 0x7f, 0xff, 0xff, 0xff]);
    const transport = createGrpcWebTransport({ baseUrl: "http://wire.test", fetch: answering(prefix, grpcWeb), maxResponseBytes: 1024 });
    const error = await createEchoServiceClient(transport)
      .echo({ message: "m" })
      .catch((reason: unknown) => reason);
    expect((error as RpcError).code).toBe(Code.RESOURCE_EXHAUSTED);
  });

  it("percent-decode grpc-message and keep a code outside the 17 as UNKNOWN", async () => {
    const error = await unaryError(answering(grpcWebTrailers("grpc-status: 7\r\ngrpc-message: caf%C3%A9 %25\r\n"), grpcWeb));
    expect(error.code).toBe(Code.PERMISSION_DENIED);
    expect(error.message).toContain("café %");
    expect((await unaryError(answering(grpcWebTrailers("grpc-status: 99\r\n"), grpcWeb))).code).toBe(Code.UNKNOWN);
  });

  it("take the status of a trailers-only gRPC-Web response from its headers", async () => {
    const error = await unaryError(answering(new Uint8Array(0), { ...grpcWeb, "grpc-status": "5", "grpc-message": "gone" }));
    expect(error.code).toBe(Code.NOT_FOUND);
    expect(error.message).toContain("gone");
  });

  it("fail a response with another content type: UNKNOWN", async () => {
    expect((await unaryError(answering("<html></html>", { "content-type": "text/html" }))).code).toBe(Code.UNKNOWN);
    expect((await unaryError(answering("<html></html>", { "content-type": "text/html" }), true)).code).toBe(Code.UNKNOWN);
  });

  it("read a Connect error body, spelling CANCELLED as Connect does, and fall back on the HTTP status without a code", async () => {
    const json = { "content-type": "application/json" };
    const cancelled = await unaryError(answering(JSON.stringify({ code: "canceled", message: "stopped" }), json, 499), true);
    expect(cancelled.code).toBe(Code.CANCELLED);
    expect(cancelled.message).toContain("stopped");
    expect((await unaryError(answering(JSON.stringify({ message: "?" }), json, 401), true)).code).toBe(Code.UNAUTHENTICATED);
    expect((await unaryError(answering("not json", json, 429), true)).code).toBe(Code.UNAVAILABLE);
  });

  it("read the error of a Connect stream's end-stream message after its messages", async () => {
    const end = envelope(0x02, text(JSON.stringify({ error: { code: "resource_exhausted", message: "quota" }, metadata: { "x-t": ["v"] } })));
    const transport = createConnectTransport({
      baseUrl: "http://wire.test",
      useBinaryFormat: true,
      fetch: answering(concat(response(0), response(1), end), { "content-type": "application/connect+proto" }),
    });
    const received: number[] = [];
    const error = await (async () => {
      for await (const message of createEchoServiceClient(transport).expand({ message: "m" })) {
        received.push(message.index);
      }
    })().catch((reason: unknown) => reason);
    expect(received).toEqual([0, 1]);
    expect((error as RpcError).code).toBe(Code.RESOURCE_EXHAUSTED);
    expect((error as RpcError).metadata.get("x-t")).toEqual(["v"]);
  });
});
