import { Code as ConnectCode, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { compressionGzip, createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { Code, RpcError } from "@stubwright/runtime";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import { createConnectTransport as createFetchConnect, createGrpcWebTransport as createFetchGrpcWeb } from "@stubwright/runtime/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoService } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { createHttp2Fetch, type Http2Fetch } from "../web-client/http2-fetch.js";
import { startWebServerFixture, type WebServerFixture } from "../support/web-server-fixture.js";

/** Client and bidi streaming through createWebHandler, with connect-node's clients over HTTP/1.1 and HTTP/2. */
const kinds = ["connect+json", "connect+proto", "grpc-web"] as const;
const matrix = kinds.flatMap((kind) => (["1.1", "2"] as const).map((httpVersion) => ({ kind, httpVersion })));

let fixture: WebServerFixture;

beforeAll(async () => {
  fixture = await startWebServerFixture();
});

afterAll(async () => {
  await fixture.close();
});

function transport(kind: (typeof kinds)[number], httpVersion: "1.1" | "2", gzip = false): Transport {
  const baseUrl = httpVersion === "1.1" ? fixture.http1Url : fixture.http2Url;
  const common = { baseUrl, ...(gzip ? { sendCompression: compressionGzip, acceptCompression: [compressionGzip] } : { acceptCompression: [] }) };
  if (kind === "grpc-web") {
    return httpVersion === "1.1" ? createGrpcWebTransport({ ...common, httpVersion }) : createGrpcWebTransport({ ...common, httpVersion });
  }
  const connect = { ...common, useBinaryFormat: kind === "connect+proto" };
  return httpVersion === "1.1" ? createConnectTransport({ ...connect, httpVersion }) : createConnectTransport({ ...connect, httpVersion });
}

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

async function* requests(...texts: string[]): AsyncGenerator<{ message: string }> {
  for (const message of texts) {
    yield { message };
  }
}

/** Requests that send `texts`, then hold the stream open (no half-close) until `held` settles. */
async function* heldOpen(held: Promise<void>, ...texts: string[]): AsyncGenerator<{ message: string }> {
  yield* requests(...texts);
  await held;
}

describe.each(matrix)("connect-node $kind over HTTP/$httpVersion", ({ kind, httpVersion }) => {
  const client = () => createClient(EchoService, transport(kind, httpVersion));

  it("client streaming: every message arrives in order, then the response and trailers", async () => {
    const texts = Array.from({ length: 100 }, (_, index) => `m${index}`);
    let trailers: Headers | undefined;
    const response = await client().collect(requests(...texts), { onTrailer: (t) => (trailers = t) });
    expect(response.message).toBe(texts.join(","));
    expect(response.index).toBe(100);
    expect(trailers?.get("x-trailer")).toBe("collect-trail");
    expect(await fixture.seen.requestStreamOutcome).toBe("end");
  });

  it("client streaming: gzip-compressed request messages are decompressed", async () => {
    const texts = ["y".repeat(4096), "z".repeat(4096)];
    const response = await createClient(EchoService, transport(kind, httpVersion, true)).collect(requests(...texts));
    expect(response.message).toBe(texts.join(","));
  });

  it("client streaming: an empty request stream ends normally", async () => {
    const response = await client().collect(requests());
    expect(response.message).toBe("");
    expect(response.index).toBe(0);
  });

  it("client streaming: a handler error mid-stream reaches the client with its details", async () => {
    const error = await failure(client().collect(requests("a", "fail", "never read")));
    expect(error.code).toBe(ConnectCode.FailedPrecondition);
    expect(error.rawMessage).toBe("request stream refused");
    expect(error.findDetails(ErrorInfoSchema).map((info) => info.reason)).toEqual(["STREAM_REFUSED"]);
  });

  it("client streaming: a client that cancels aborts the handler, whose request stream never ends normally", async () => {
    fixture.resetHang();
    const controller = new AbortController();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const call = failure(client().collect(heldOpen(held, "a", "hang"), { signal: controller.signal }));
    await fixture.seen.waiting;
    controller.abort();
    expect((await call).code).toBe(ConnectCode.Canceled);
    expect(await fixture.seen.aborted).toBe(1);
    expect(await fixture.seen.requestStreamOutcome).toBe(1);
    release();
  });

  it("client streaming: at the deadline the handler's reading fails and the client gets DEADLINE_EXCEEDED", async () => {
    fixture.resetHang();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const error = await failure(client().collect(heldOpen(held, "hang"), { timeoutMs: 300 }));
    expect(error.code).toBe(ConnectCode.DeadlineExceeded);
    // The client times the deadline too: whichever side's timer fires first aborts the handler.
    expect([4, 1]).toContain(await fixture.seen.aborted);
    expect(await fixture.seen.requestStreamOutcome).not.toBe("end");
    release();
  });

  if (httpVersion === "2") {
    it("bidi: full duplex, each response before the next request is sent", async () => {
      const responses: string[] = [];
      let next!: () => void;
      let answered = new Promise<void>((resolve) => {
        next = resolve;
      });
      const chat = async function* (): AsyncGenerator<{ message: string }> {
        for (let index = 0; index < 5; index++) {
          yield { message: `turn${index}` };
          await answered;
          answered = new Promise<void>((resolve) => {
            next = resolve;
          });
        }
      };
      let headers: Headers | undefined;
      for await (const response of client().chat(chat(), { onHeader: (h) => (headers = h) })) {
        responses.push(`${response.index}:${response.message}`);
        next();
      }
      expect(responses).toEqual(["0:turn0", "1:turn1", "2:turn2", "3:turn3", "4:turn4"]);
      expect(headers?.get("x-header")).toBe("chat-head");
      expect(await fixture.seen.requestStreamOutcome).toBe("end");
    });

    it("bidi: responses before a handler error arrive, then the error with its details", async () => {
      const received: string[] = [];
      const error = await failure(
        (async () => {
          for await (const response of client().chat(requests("a", "b", "fail"))) {
            received.push(response.message);
          }
        })(),
      );
      expect(received).toEqual(["a", "b"]);
      expect(error.code).toBe(ConnectCode.FailedPrecondition);
      expect(error.findDetails(ErrorInfoSchema).map((info) => info.reason)).toEqual(["STREAM_REFUSED"]);
    });

    it("bidi: a client that cancels aborts the handler, whose request stream never ends normally", async () => {
      fixture.resetHang();
      const controller = new AbortController();
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const call = failure(
        (async () => {
          for await (const _ of client().chat(heldOpen(held, "hang"), { signal: controller.signal })) {
            controller.abort();
          }
        })(),
      );
      expect((await call).code).toBe(ConnectCode.Canceled);
      expect(await fixture.seen.aborted).toBe(1);
      expect(await fixture.seen.requestStreamOutcome).toBe(1);
      release();
    });
  } else {
    it("bidi needs HTTP/2: HTTP/1.1 gets 505, as from connect-node, and the handler never runs", async () => {
      const before = fixture.seen.intercepted.length;
      const error = await failure(
        (async () => {
          for await (const _ of client().chat(requests("a"))) {
            // Never reached.
          }
        })(),
      );
      // connect-node reads an HTTP status without a protocol status as UNKNOWN.
      expect(error.code).toBe(ConnectCode.Unknown);
      expect(error.rawMessage).toBe("HTTP 505");
      expect(fixture.seen.intercepted.length).toBe(before);
    });
  }
});

/** Our fetch transports with `streamRequests: true` (half duplex), over HTTP/2 as browsers stream requests, against our server. */
describe.each([
  {
    name: "Connect, binary",
    create: (baseUrl: string, fetch: typeof globalThis.fetch) => createFetchConnect({ baseUrl, fetch, streamRequests: true, useBinaryFormat: true }),
  },
  { name: "Connect, JSON", create: (baseUrl: string, fetch: typeof globalThis.fetch) => createFetchConnect({ baseUrl, fetch, streamRequests: true }) },
  { name: "gRPC-Web", create: (baseUrl: string, fetch: typeof globalThis.fetch) => createFetchGrpcWeb({ baseUrl, fetch, streamRequests: true }) },
])("fetch client ($name) with streamRequests over HTTP/2", ({ create }) => {
  let http2: Http2Fetch;
  beforeAll(() => {
    http2 = createHttp2Fetch(fixture.http2Url);
  });
  afterAll(() => {
    http2.close();
  });
  const client = () => createEchoServiceClient(create(fixture.http2Url, http2.fetch));

  it("client streaming and bidi: every message in order", async () => {
    const texts = Array.from({ length: 50 }, (_, index) => `m${index}`);
    const response = await client().collect(requests(...texts));
    expect(response.message).toBe(texts.join(","));
    const echoed: string[] = [];
    for await (const item of client().chat(requests(...texts))) {
      echoed.push(item.message);
    }
    expect(echoed).toEqual(texts);
  });

  it("a handler error mid-stream reaches the client with its details", async () => {
    const error = await client()
      .collect(requests("a", "fail"))
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(Code.FAILED_PRECONDITION);
    expect((error as RpcError).findDetails(ErrorInfoSchema).map((info) => info.reason)).toEqual(["STREAM_REFUSED"]);
  });

  it("a client that cancels aborts the handler", async () => {
    fixture.resetHang();
    const controller = new AbortController();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const call = client()
      .collect(heldOpen(held, "hang"), { signal: controller.signal })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    await fixture.seen.waiting;
    controller.abort();
    expect(((await call) as RpcError).code).toBe(Code.CANCELLED);
    expect(await fixture.seen.aborted).toBe(1);
    expect(await fixture.seen.requestStreamOutcome).toBe(1);
    release();
  });
});

describe("malformed request streams", () => {
  /** Posts a Connect streaming body to Collect and returns the end-stream message's error. */
  async function collectError(body: Uint8Array): Promise<{ code: string; message: string }> {
    const response = await fetch(`${fixture.http1Url}/fixture.echo.v1.EchoService/Collect`, {
      method: "POST",
      headers: { "content-type": "application/connect+proto" },
      body,
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes[0]).toBe(0x02);
    return (JSON.parse(new TextDecoder().decode(bytes.subarray(5))) as { error: { code: string; message: string } }).error;
  }

  it("a body that ends inside a message is INVALID_ARGUMENT, not a complete stream", async () => {
    const error = await collectError(new Uint8Array([0, 0, 0, 0, 10, 1, 2]));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toMatch(/ends inside a message/);
  });

  it("a request message with the end-stream flag is INVALID_ARGUMENT", async () => {
    const error = await collectError(new Uint8Array([0x02, 0, 0, 0, 0]));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toMatch(/unexpected flags 0x2/);
  });
});
