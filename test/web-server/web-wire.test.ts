import { once } from "node:events";
import { connect } from "node:http2";
import { gunzipSync, gzipSync } from "node:zlib";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { ErrorInfoSchema, StatusSchema } from "@stubwright/runtime/error-details";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoRequestSchema, EchoResponseSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { AttemptRequestSchema, AttemptResponseSchema } from "../golden/ts/fixture/retry/v1/flaky_pb.js";
import { startWebServerFixture, type WebServerFixture } from "../support/web-server-fixture.js";

const origin = "http://app.test";
let fixture: WebServerFixture;
/** The same service without CORS options and with a 1 KiB request limit. */
let strict: WebServerFixture;

beforeAll(async () => {
  fixture = await startWebServerFixture({
    cors: { allowedOrigins: [origin], allowedHeaders: ["Authorization"], exposedHeaders: ["x-header"], maxAgeSeconds: 60 },
  });
  strict = await startWebServerFixture({ maxReceiveMessageBytes: 1024, rest: false });
});

afterAll(async () => {
  await fixture.close();
  await strict.close();
});

const echoPath = "/fixture.echo.v1.EchoService/Echo";
const expandPath = "/fixture.echo.v1.EchoService/Expand";

function frame(flags: number, data: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + data.byteLength);
  out[0] = flags;
  out.writeUInt32BE(data.byteLength, 1);
  out.set(data, 5);
  return out;
}

function frames(body: Buffer): { flags: number; data: Buffer }[] {
  const out: { flags: number; data: Buffer }[] = [];
  for (let offset = 0; offset < body.length; ) {
    const length = body.readUInt32BE(offset + 1);
    out.push({ flags: body[offset] as number, data: body.subarray(offset + 5, offset + 5 + length) });
    offset += 5 + length;
  }
  return out;
}

/** The trailer frame's `key: value` lines. */
function trailerLines(data: Buffer): Record<string, string> {
  return Object.fromEntries(
    data
      .toString("latin1")
      .split("\r\n")
      .filter((line) => line !== "")
      .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]),
  );
}

/** Decodes a grpc-web-text body: base64 chunks, each padded on its own. */
function fromTextChunks(text: string): Buffer {
  return Buffer.concat(text.split(/(?<==)(?=[^=])/).map((chunk) => Buffer.from(chunk, "base64")));
}

const echoBytes = (message: string): Uint8Array => toBinary(EchoRequestSchema, create(EchoRequestSchema, { message }));

async function post(path: string, contentType: string, body: Uint8Array | string, headers: Record<string, string> = {}, base = fixture.http1Url) {
  const response = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": contentType, ...headers }, body });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

describe("gRPC-Web on the wire", () => {
  it("text mode: a base64 request, and base64 frames with the trailers last", async () => {
    const { response, body } = await post(echoPath, "application/grpc-web-text", frame(0, echoBytes("text")).toString("base64"), { "x-grpc-web": "1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/grpc-web-text+proto");
    expect(response.headers.get("x-header")).toBe("head-value");
    const [data, trailer, ...rest] = frames(fromTextChunks(body.toString("latin1")));
    expect(rest).toEqual([]);
    expect(data?.flags).toBe(0);
    expect(fromBinary(EchoResponseSchema, data?.data ?? Buffer.alloc(0)).message).toBe("text");
    expect(trailer?.flags).toBe(0x80);
    expect(trailerLines(trailer?.data ?? Buffer.alloc(0))).toMatchObject({ "grpc-status": "0", "x-trailer": "trail-value" });
  });

  it("an error is a trailer frame with grpc-status, a percent-encoded grpc-message and grpc-status-details-bin", async () => {
    const { response, body } = await post(echoPath, "application/grpc-web+proto", frame(0, echoBytes("details")));
    expect(response.status).toBe(200);
    const [trailer] = frames(body);
    expect(trailer?.flags).toBe(0x80);
    const lines = trailerLines(trailer?.data ?? Buffer.alloc(0));
    expect(lines["grpc-status"]).toBe("5");
    expect(lines["grpc-message"]).toBe("no such thing");
    const status = fromBinary(StatusSchema, Buffer.from(lines["grpc-status-details-bin"] ?? "", "base64"));
    expect(status.code).toBe(5);
    expect(status.details.map((detail) => anyUnpack(detail, ErrorInfoSchema)?.reason)).toEqual(["MISSING"]);
  });

  it("a malformed grpc-timeout is INVALID_ARGUMENT; an unknown method UNIMPLEMENTED", async () => {
    const timeout = await post(echoPath, "application/grpc-web+proto", frame(0, echoBytes("x")), { "grpc-timeout": "soon" });
    expect(trailerLines(frames(timeout.body)[0]?.data ?? Buffer.alloc(0))["grpc-status"]).toBe("3");
    const unknown = await post("/fixture.echo.v1.EchoService/Nope", "application/grpc-web+proto", frame(0, echoBytes("x")));
    expect(trailerLines(frames(unknown.body)[0]?.data ?? Buffer.alloc(0))["grpc-status"]).toBe("12");
  });

  it("gzip: compressed requests are read; responses are compressed, flagged per frame, for clients that accept it", async () => {
    const { response, body } = await post(echoPath, "application/grpc-web+proto", frame(1, gzipSync(echoBytes("big"))), {
      "grpc-encoding": "gzip",
      "grpc-accept-encoding": "gzip",
    });
    expect(response.headers.get("grpc-encoding")).toBe("gzip");
    const [data] = frames(body);
    expect(data?.flags).toBe(1);
    expect(fromBinary(EchoResponseSchema, gunzipSync(data?.data ?? Buffer.alloc(0))).message).toHaveLength(4096);
  });

  it("a request over the receive limit is RESOURCE_EXHAUSTED, also when it only inflates past it", async () => {
    const large = await post(echoPath, "application/grpc-web+proto", frame(0, echoBytes("x".repeat(2000))), {}, strict.http1Url);
    expect(trailerLines(frames(large.body)[0]?.data ?? Buffer.alloc(0))["grpc-status"]).toBe("8");
    const bomb = await post(
      echoPath,
      "application/grpc-web+proto",
      frame(1, gzipSync(echoBytes("x".repeat(100_000)))),
      { "grpc-encoding": "gzip" },
      strict.http1Url,
    );
    expect(trailerLines(frames(bomb.body)[0]?.data ?? Buffer.alloc(0))["grpc-status"]).toBe("8");
  });
});

describe("Connect on the wire", () => {
  it("a unary error is the Connect error JSON with the code's HTTP status and unpadded base64 details", async () => {
    const { response, body } = await post(echoPath, "application/json", JSON.stringify({ message: "details" }), { "connect-protocol-version": "1" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    const error = JSON.parse(body.toString("utf8")) as { code: string; message: string; details: { type: string; value: string }[] };
    expect(error).toMatchObject({ code: "not_found", message: "no such thing", details: [{ type: "google.rpc.ErrorInfo" }] });
    expect(error.details[0]?.value).not.toMatch(/=$/);
    expect(fromBinary(ErrorInfoSchema, Buffer.from(error.details[0]?.value ?? "", "base64")).reason).toBe("MISSING");
  });

  it("unary success: headers as headers, trailers as trailer- headers; gzip when accepted", async () => {
    const { response, body } = await post(echoPath, "application/json", JSON.stringify({ message: "big" }), { "accept-encoding": "gzip" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("x-header")).toBe("head-value");
    expect(response.headers.get("trailer-x-trailer")).toBe("trail-value");
    // fetch inflates the body itself.
    expect((JSON.parse(body.toString("utf8")) as { message: string }).message).toHaveLength(4096);
  });

  it("server streaming: enveloped messages, then an end-stream message with the trailers", async () => {
    const request = frame(0, Buffer.from(JSON.stringify({ message: "e", repeat: 2 })));
    const { response, body } = await post(expandPath, "application/connect+json", request);
    expect(response.headers.get("content-type")).toBe("application/connect+json");
    const parts = frames(body);
    expect(parts.map((part) => part.flags)).toEqual([0, 0, 2]);
    expect(JSON.parse(parts[1]?.data.toString("utf8") ?? "")).toEqual({ message: "e-1", index: 1 });
    expect(JSON.parse(parts[2]?.data.toString("utf8") ?? "")).toEqual({ metadata: { "x-trailer": ["stream-trail"] } });
  });

  it("GET for a method without side effects: JSON, and base64 proto; POST-only methods answer 405", async () => {
    const json = await fetch(`${fixture.http1Url}/fixture.retry.v1.FlakyService/Read?connect=v1&encoding=json&message=${encodeURIComponent('{"failures":4}')}`);
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ attempt: 5 });
    const message = Buffer.from(toBinary(AttemptRequestSchema, create(AttemptRequestSchema, { failures: 6 }))).toString("base64url");
    const proto = await fetch(`${fixture.http1Url}/fixture.retry.v1.FlakyService/Read?connect=v1&encoding=proto&base64=1&message=${message}`);
    expect(fromBinary(AttemptResponseSchema, new Uint8Array(await proto.arrayBuffer())).attempt).toBe(7);
    const notAllowed = await fetch(`${fixture.http1Url}${echoPath}?connect=v1&encoding=json&message=%7B%7D`);
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get("allow")).toBe("POST");
  });

  it("a bad Connect-Protocol-Version or Connect-Timeout-Ms is invalid_argument (400)", async () => {
    for (const headers of [{ "connect-protocol-version": "2" }, { "connect-timeout-ms": "soon" }]) {
      const { response, body } = await post(echoPath, "application/json", "{}", headers);
      expect(response.status).toBe(400);
      expect(JSON.parse(body.toString("utf8"))).toMatchObject({ code: "invalid_argument" });
    }
  });

  it("a request over the receive limit is resource_exhausted (429)", async () => {
    const { response, body } = await post(echoPath, "application/proto", echoBytes("x".repeat(2000)), {}, strict.http1Url);
    expect(response.status).toBe(429);
    expect(JSON.parse(body.toString("utf8"))).toMatchObject({ code: "resource_exhausted" });
  });
});

describe("deadlines timed by the server", () => {
  it.each([
    ["gRPC-Web", "application/grpc-web+proto", { "grpc-timeout": "200m" }],
    ["Connect", "application/proto", { "connect-timeout-ms": "200" }],
  ] as const)(
    "%s: the timeout header is the handler's deadline; when it passes, its signal fires and the call ends",
    async (_protocol, contentType, headers) => {
      fixture.resetHang();
      const body = contentType === "application/proto" ? echoBytes("hang") : frame(0, echoBytes("hang"));
      const { response, body: answer } = await post(echoPath, contentType, body, headers);
      expect(await fixture.seen.aborted).toBe(4);
      if (contentType === "application/proto") {
        expect(response.status).toBe(504);
        expect(JSON.parse(answer.toString("utf8"))).toMatchObject({ code: "deadline_exceeded" });
      } else {
        expect(trailerLines(frames(answer)[0]?.data ?? Buffer.alloc(0))["grpc-status"]).toBe("4");
      }
    },
  );
});

describe("routing", () => {
  it("an unknown content type is 415 with the accepted ones", async () => {
    const { response } = await post(echoPath, "text/plain", "hello");
    expect(response.status).toBe(415);
    expect(response.headers.get("accept-post")).toContain("application/grpc-web+proto");
  });

  it("a method's path over another HTTP method is 405", async () => {
    const response = await fetch(`${fixture.http1Url}${echoPath}`, { method: "PUT", body: "{}", headers: { "content-type": "application/json" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("a Connect request for a method the server lacks is 404 with Connect's unimplemented error", async () => {
    const { response, body } = await post("/fixture.echo.v1.EchoService/Nope", "application/json", "{}");
    expect(response.status).toBe(404);
    expect(JSON.parse(body.toString("utf8"))).toEqual({
      code: "unimplemented",
      message: "The server does not implement the method /fixture.echo.v1.EchoService/Nope",
    });
  });

  it("a path that is no method and no REST route is a JSON 404, with or without the REST routes", async () => {
    for (const base of [fixture.http1Url, strict.http1Url]) {
      const response = await fetch(`${base}/nowhere`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 5 });
    }
  });
});

describe("CORS", () => {
  it("a preflight from an allowed origin lists the methods, the protocols' headers and the configured ones", async () => {
    const response = await fetch(`${fixture.http1Url}${echoPath}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-grpc-web" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST");
    const allowed = response.headers.get("access-control-allow-headers")?.split(", ");
    expect(allowed).toEqual(
      expect.arrayContaining(["content-type", "x-grpc-web", "x-user-agent", "grpc-timeout", "connect-protocol-version", "connect-timeout-ms", "authorization"]),
    );
    expect(response.headers.get("access-control-max-age")).toBe("60");
  });

  it("a preflight from any other origin is refused, and its requests get no CORS headers", async () => {
    const preflight = await fetch(`${fixture.http1Url}${echoPath}`, {
      method: "OPTIONS",
      headers: { origin: "http://evil.test", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const { response } = await post(echoPath, "application/json", "{}", { origin: "http://evil.test" });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("an allowed origin's request may read the status headers and the configured metadata", async () => {
    const { response } = await post(echoPath, "application/json", "{}", { origin });
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    expect(response.headers.get("vary")).toBe("Origin");
    const exposed = response.headers.get("access-control-expose-headers")?.split(", ");
    expect(exposed).toEqual(expect.arrayContaining(["grpc-status", "grpc-message", "grpc-status-details-bin", "x-header", "trailer-x-header"]));
  });

  it("without CORS options no origin is allowed", async () => {
    const preflight = await fetch(`${strict.http1Url}${echoPath}`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("shutdown", () => {
  it("once the server shuts down, every protocol answers UNAVAILABLE, over HTTP/1.1 and HTTP/2", async () => {
    const closing = await startWebServerFixture();
    try {
      await closing.server.shutdown({ graceMs: 0 });
      const grpcWeb = await post(echoPath, "application/grpc-web+proto", frame(0, echoBytes("x")), {}, closing.http1Url);
      expect(trailerLines(frames(grpcWeb.body)[0]?.data ?? Buffer.alloc(0))["grpc-status"]).toBe("14");
      const connect = await post(echoPath, "application/json", "{}", {}, closing.http1Url);
      expect(connect.response.status).toBe(503);
      // REST through the same listener over HTTP/2, where connection headers are not allowed (Node warns and drops them).
      const warnings: string[] = [];
      const onWarning = (warning: Error): void => {
        warnings.push(warning.message);
      };
      process.on("warning", onWarning);
      const rest = await http2Request(closing.http2Url, "/v1/anything").finally(() => process.off("warning", onWarning));
      expect(rest.status).toBe(503);
      expect(JSON.parse(rest.body)).toMatchObject({ code: 14 });
      expect(warnings).toEqual([]);
    } finally {
      await closing.close();
    }
  });
});

/** A GET over HTTP/2 (fetch speaks HTTP/1.1 only): its status and body text. */
async function http2Request(base: string, path: string): Promise<{ status: number; body: string }> {
  const session = connect(base);
  try {
    const stream = session.request({ ":method": "GET", ":path": path });
    const [headers] = (await once(stream, "response")) as [Record<string, string | number>];
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
    }
    return { status: Number(headers[":status"]), body: Buffer.concat(chunks).toString("utf8") };
  } finally {
    session.close();
  }
}
