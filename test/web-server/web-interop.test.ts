import { Code as ConnectCode, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { compressionGzip, createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { createConnectTransport as createWebConnectTransport, createGrpcWebTransport as createWebGrpcWebTransport } from "@connectrpc/connect-web";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoService } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { FlakyService } from "../golden/ts/fixture/retry/v1/flaky_pb.js";
import { startWebServerFixture, type WebServerFixture } from "../support/web-server-fixture.js";

/** The client protocols of the matrix: Connect (JSON and binary) and gRPC-Web. */
const clients = ["connect+json", "connect+proto", "grpc-web"] as const;
const httpVersions = ["1.1", "2"] as const;
type ClientKind = (typeof clients)[number];
type HttpVersion = (typeof httpVersions)[number];
type Library = "connect-node" | "connect-web";

/** One client of the matrix: connect-node over HTTP/1.1 and HTTP/2, connect-web over Node's fetch (HTTP/1.1, as in a browser). */
interface MatrixEntry {
  readonly library: Library;
  readonly kind: ClientKind;
  readonly httpVersion: HttpVersion;
}

const matrix: MatrixEntry[] = [
  ...clients.flatMap((kind) => httpVersions.map((httpVersion) => ({ library: "connect-node" as const, kind, httpVersion }))),
  ...clients.map((kind) => ({ library: "connect-web" as const, kind, httpVersion: "1.1" as const })),
];

let fixture: WebServerFixture;

beforeAll(async () => {
  fixture = await startWebServerFixture();
});

afterAll(async () => {
  await fixture.close();
});

function transport({ library, kind, httpVersion }: MatrixEntry, extra: { useHttpGet?: boolean; gzip?: boolean } = {}): Transport {
  const baseUrl = httpVersion === "1.1" ? fixture.http1Url : fixture.http2Url;
  if (library === "connect-web") {
    // fetch negotiates Content-Encoding itself; per-message compression is not offered.
    return kind === "grpc-web"
      ? createWebGrpcWebTransport({ baseUrl })
      : createWebConnectTransport({ baseUrl, useBinaryFormat: kind === "connect+proto", useHttpGet: extra.useHttpGet === true });
  }
  const common = {
    baseUrl,
    ...(extra.gzip === true ? { sendCompression: compressionGzip, acceptCompression: [compressionGzip] } : { acceptCompression: [] }),
  };
  // Spelled out per version: the transports' options are a union over httpVersion.
  if (kind === "grpc-web") {
    return httpVersion === "1.1" ? createGrpcWebTransport({ ...common, httpVersion }) : createGrpcWebTransport({ ...common, httpVersion });
  }
  const connect = { ...common, useBinaryFormat: kind === "connect+proto", useHttpGet: extra.useHttpGet === true };
  return httpVersion === "1.1" ? createConnectTransport({ ...connect, httpVersion }) : createConnectTransport({ ...connect, httpVersion });
}

/** Runs `call` and returns the ConnectError it fails with. */
async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

describe.each(matrix)("$library $kind over HTTP/$httpVersion", (entry) => {
  it("unary: request metadata in, response headers and trailers out, through the interceptor", async () => {
    const client = createClient(EchoService, transport(entry));
    let headers: Headers | undefined;
    let trailers: Headers | undefined;
    const before = fixture.seen.intercepted.length;
    const response = await client.echo(
      { message: "hello" },
      { headers: { "x-request-id": "r-1" }, onHeader: (h) => (headers = h), onTrailer: (t) => (trailers = t) },
    );
    expect(response.message).toBe("hello");
    expect(response.seenMetadata["x-request-id"]).toBe("r-1");
    expect(response.seenMetadata["content-type"]).toBeUndefined();
    expect(response.deadlineMs).toBe(-1n);
    expect(headers?.get("x-header")).toBe("head-value");
    expect(trailers?.get("x-trailer")).toBe("trail-value");
    expect(fixture.seen.intercepted.slice(before)).toEqual(["Echo"]);
  });

  it("server streaming: every message, then the trailers", async () => {
    const client = createClient(EchoService, transport(entry));
    let headers: Headers | undefined;
    let trailers: Headers | undefined;
    const messages: string[] = [];
    for await (const response of client.expand({ message: "m", repeat: 3 }, { onHeader: (h) => (headers = h), onTrailer: (t) => (trailers = t) })) {
      messages.push(response.message);
    }
    expect(messages).toEqual(["m-0", "m-1", "m-2"]);
    expect(headers?.get("x-header")).toBe("stream-head");
    expect(trailers?.get("x-trailer")).toBe("stream-trail");
  });

  it("errors carry their code, message and google.rpc.Status details", async () => {
    const client = createClient(EchoService, transport(entry));
    const error = await failure(client.echo({ message: "details" }));
    expect(error.code).toBe(ConnectCode.NotFound);
    expect(error.rawMessage).toBe("no such thing");
    expect(error.findDetails(ErrorInfoSchema)).toMatchObject([{ reason: "MISSING", domain: "web.test" }]);
  });

  it("a stream that fails after messages delivers them, then the error with details", async () => {
    const client = createClient(EchoService, transport(entry));
    const messages: string[] = [];
    const error = await failure(
      (async () => {
        for await (const response of client.expand({ message: "s", repeat: 2, failCode: 10, failMessage: "stream aborted" })) {
          messages.push(response.message);
        }
      })(),
    );
    expect(messages).toEqual(["s-0", "s-1"]);
    expect(error.code).toBe(ConnectCode.Aborted);
    expect(error.rawMessage).toBe("stream aborted");
    expect(error.findDetails(ErrorInfoSchema)).toMatchObject([{ reason: "STREAM_FAILED" }]);
  });

  it("a status message with non-ASCII characters, a percent sign and a newline arrives intact", async () => {
    const client = createClient(EchoService, transport(entry));
    const error = await failure(client.echo({ message: "unicode" }));
    expect(error.code).toBe(ConnectCode.InvalidArgument);
    expect(error.rawMessage).toBe("bad é 100%\nsecond line");
  });

  it("a client that cancels a stream mid-way cancels the handler", async () => {
    fixture.resetHang();
    const client = createClient(EchoService, transport(entry));
    const controller = new AbortController();
    const received: string[] = [];
    const call = failure(
      (async () => {
        for await (const response of client.expand({ message: "hang", repeat: 1 }, { signal: controller.signal })) {
          received.push(response.message);
          await fixture.seen.waiting;
          controller.abort();
        }
      })(),
    );
    expect((await call).code).toBe(ConnectCode.Canceled);
    expect(received).toEqual(["hang-0"]);
    expect(await fixture.seen.aborted).toBe(1);
  });

  it("an unexpected error is UNKNOWN with the fixed message, as over gRPC: nothing internal leaks", async () => {
    const client = createClient(EchoService, transport(entry));
    const error = await failure(client.echo({ message: "crash" }));
    expect(error.code).toBe(ConnectCode.Unknown);
    expect(error.rawMessage).toBe("Internal server error");
  });

  it("interceptor errors reach the client", async () => {
    const client = createClient(EchoService, transport(entry));
    const error = await failure(client.echo({ message: "x" }, { headers: { authorization: "Bearer wrong" } }));
    expect(error.code).toBe(ConnectCode.Unauthenticated);
    expect(error.rawMessage).toBe("bad token");
  });

  it("the client's timeout is the handler's deadline, and it propagates to downstream gRPC calls", async () => {
    const client = createClient(EchoService, transport(entry));
    const started = Date.now();
    const response = await client.echo({ message: "chained" }, { timeoutMs: 60_000 });
    expect(response.deadlineMs).toBeGreaterThan(0n);
    expect(response.deadlineMs).toBeLessThanOrEqual(60_000n);
    const downstream = fixture.seen.downstreamDeadline?.getTime() ?? Infinity;
    expect(downstream).toBeLessThanOrEqual(started + 60_000 + 1000);
  });

  it("at the deadline the handler's signal fires and the client gets DEADLINE_EXCEEDED", async () => {
    fixture.resetHang();
    const client = createClient(EchoService, transport(entry));
    const error = await failure(client.echo({ message: "hang" }, { timeoutMs: 300 }));
    expect(error.code).toBe(ConnectCode.DeadlineExceeded);
    // The client times the deadline too and goes away when it passes: whichever side's timer fires first
    // aborts the handler, with DEADLINE_EXCEEDED or CANCELLED (web-wire.test.ts times it on the server only).
    expect([4, 1]).toContain(await fixture.seen.aborted);
  });

  it("a client that cancels cancels the handler", async () => {
    fixture.resetHang();
    const client = createClient(EchoService, transport(entry));
    const controller = new AbortController();
    const call = failure(client.echo({ message: "hang" }, { signal: controller.signal }));
    await fixture.seen.waiting;
    controller.abort();
    expect((await call).code).toBe(ConnectCode.Canceled);
    expect(await fixture.seen.aborted).toBe(1);
  });

  it("gzip both ways", async () => {
    const client = createClient(EchoService, transport(entry, { gzip: true }));
    const response = await client.echo({ message: "big", failMessage: "y".repeat(8192) });
    expect(response.message).toBe("x".repeat(4096));
    const messages: string[] = [];
    for await (const item of client.expand({ message: "z".repeat(2048), repeat: 2 })) {
      messages.push(item.message);
    }
    expect(messages).toHaveLength(2);
  });
});

describe.each(matrix.filter((entry) => entry.kind !== "grpc-web"))("Connect GET: $library $kind over HTTP/$httpVersion", (entry) => {
  it("a method without side effects is called with GET", async () => {
    const client = createClient(FlakyService, transport(entry, { useHttpGet: true }));
    expect((await client.read({ failures: 2 })).attempt).toBe(3);
  });
});

describe.each(httpVersions)("one TLS port, http2.createSecureServer({ allowHTTP1 }), over HTTP/%s", (httpVersion) => {
  it.each(clients)("%s: unary and server streaming", async (kind) => {
    const common = { baseUrl: fixture.httpsUrl, nodeOptions: { ca: fixture.ca }, useBinaryFormat: kind !== "connect+json" };
    const make = kind === "grpc-web" ? createGrpcWebTransport : createConnectTransport;
    const client = createClient(EchoService, httpVersion === "1.1" ? make({ ...common, httpVersion }) : make({ ...common, httpVersion }));
    expect((await client.echo({ message: "tls" })).message).toBe("tls");
    const messages: string[] = [];
    for await (const response of client.expand({ message: "t", repeat: 2 })) {
      messages.push(response.message);
    }
    expect(messages).toEqual(["t-0", "t-1"]);
  });
});
