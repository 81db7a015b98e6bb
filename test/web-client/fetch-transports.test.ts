import { Code, RpcError, type Metadata } from "@stubwright/runtime";
import { createConnectTransport, createGrpcWebTransport, type Transport } from "@stubwright/runtime/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createFlakyServiceClient } from "../golden/ts/fixture/retry/v1/flaky_grpc.js";
import { type ConnectEchoServer, startConnectEchoServer } from "./connect-echo-server.js";
import { createHttp2Fetch, type Http2Fetch } from "./http2-fetch.js";

/** One protocol and format of the fetch transports, and the header it sends the deadline in. */
interface Variant {
  readonly name: string;
  readonly timeoutHeader: string;
  create(baseUrl: string, fetch?: typeof globalThis.fetch, streamRequests?: boolean): Transport;
}

const variants: readonly Variant[] = [
  {
    name: "Connect, binary",
    timeoutHeader: "connect-timeout-ms",
    create: (baseUrl, fetch, streamRequests) => createConnectTransport({ baseUrl, fetch, streamRequests, useBinaryFormat: true }),
  },
  {
    name: "Connect, JSON",
    timeoutHeader: "connect-timeout-ms",
    create: (baseUrl, fetch, streamRequests) => createConnectTransport({ baseUrl, fetch, streamRequests }),
  },
  {
    name: "gRPC-Web, binary",
    timeoutHeader: "grpc-timeout",
    create: (baseUrl, fetch, streamRequests) => createGrpcWebTransport({ baseUrl, fetch, streamRequests }),
  },
  {
    name: "gRPC-Web, JSON",
    timeoutHeader: "grpc-timeout",
    create: (baseUrl, fetch, streamRequests) => createGrpcWebTransport({ baseUrl, fetch, streamRequests, useBinaryFormat: false }),
  },
];

/** The server of the connection under test, and its fetch: Node's own over HTTP/1.1, or one over HTTP/2. */
let server: ConnectEchoServer;
let http2: Http2Fetch | undefined;
const connectionFetch = (): typeof globalThis.fetch | undefined => http2?.fetch;

/** The RpcError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
async function rpcError(promise: Promise<unknown>): Promise<RpcError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

/** Reads a whole stream into an array, or the RpcError it failed with. */
async function drain<T>(stream: AsyncIterable<T>): Promise<{ messages: T[]; error: RpcError | undefined }> {
  const messages: T[] = [];
  try {
    for await (const message of stream) {
      messages.push(message);
    }
  } catch (error) {
    expect(error).toBeInstanceOf(RpcError);
    return { messages, error: error as RpcError };
  }
  return { messages, error: undefined };
}

/** The connection's fetch, leaving out `header`, so only the client can know the deadline. */
function fetchWithout(header: string): typeof globalThis.fetch {
  const fetch = connectionFetch() ?? globalThis.fetch;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.delete(header);
    return fetch(input, { ...init, headers });
  };
}

describe.each([
  { connection: "HTTP/1.1", useHttp2: false },
  { connection: "HTTP/2", useHttp2: true },
])("over $connection", ({ connection, useHttp2 }) => {
  beforeAll(async () => {
    server = await startConnectEchoServer({ http2: useHttp2 });
    http2 = useHttp2 ? createHttp2Fetch(server.baseUrl) : undefined;
  });
  afterAll(async () => {
    http2?.close();
    await server.close();
  });

  describe.each(variants)("the $name fetch transport against connect-node", (variant) => {
    const key = (test: string) => `${connection} ${variant.name} ${test}`;
    const transport = (baseUrl = server.baseUrl) => variant.create(baseUrl, connectionFetch());
    const client = () => createEchoServiceClient(transport());

    it("makes a unary call with request metadata, response headers and trailers", async () => {
      let headers: Metadata | undefined;
      let trailers: Metadata | undefined;
      const response = await client().echo(
        { message: key("unary") },
        { metadata: { "x-test": "hello" }, onHeader: (received) => (headers = received), onTrailer: (received) => (trailers = received) },
      );
      expect(response.message).toBe(key("unary"));
      expect((await server.observed(key("unary"))).headers.get("x-test")).toBe("hello");
      expect(headers?.get("x-echo")).toEqual(["hello"]);
      expect(trailers?.get("x-echo-trailer")).toEqual(["trailer-hello"]);
      expect(headers?.get("content-type")).toEqual([]);
    });

    it("streams every response of a server-streaming call in order, with headers and trailers", async () => {
      let trailers: Metadata | undefined;
      const stream = client().expand({ message: key("stream"), repeat: 300 }, { metadata: { "x-test": "s" }, onTrailer: (received) => (trailers = received) });
      const { messages, error } = await drain(stream);
      expect(error).toBeUndefined();
      expect(messages.map((message) => message.index)).toEqual([...Array(300).keys()]);
      expect(messages[299]?.message).toBe(`${key("stream")} 299`);
      expect(trailers?.get("x-echo-trailer")).toEqual(["done"]);
    });

    it("carries large messages, which span many chunks of the body", async () => {
      const large = `${key("large")} ${"x".repeat(300_000)}`;
      expect((await client().echo({ message: large })).message).toBe(large);
      const { messages, error } = await drain(client().expand({ message: large, repeat: 5 }));
      expect(error).toBeUndefined();
      expect(messages.map((message) => message.message)).toEqual([...Array(5).keys()].map((index) => `${large} ${index}`));
    });

    it("cancels the server's stream when the consumer stops reading early", async () => {
      const repeat = 10_000_000;
      let taken = 0;
      for await (const _ of client().expand({ message: key("break"), repeat })) {
        if (++taken === 3) {
          break;
        }
      }
      const observed = await server.observed(key("break"));
      await observed.aborted;
      expect(observed.responses()).toBeLessThan(repeat);
    });

    it("reports a failed unary call with its code and message", async () => {
      const error = await rpcError(client().echo({ message: key("error"), failCode: Code.NOT_FOUND, failMessage: "no such thing" }));
      expect(error.code).toBe(Code.NOT_FOUND);
      expect(error.message).toContain("no such thing");
    });

    it("delivers the messages of a stream before its failure", async () => {
      const { messages, error } = await drain(
        client().expand({ message: key("stream error"), repeat: 3, failCode: Code.FAILED_PRECONDITION, failMessage: "stop" }),
      );
      expect(messages).toHaveLength(3);
      expect(error?.code).toBe(Code.FAILED_PRECONDITION);
      expect(error?.message).toContain("stop");
    });

    it("answers UNIMPLEMENTED for a method the server does not serve", async () => {
      expect((await rpcError(client().unimplemented({}))).code).toBe(Code.UNIMPLEMENTED);
    });

    it("sends the deadline as a timeout header", async () => {
      const response = await client().echo({ message: key("deadline header") }, { timeoutMs: 60_000 });
      const observed = await server.observed(key("deadline header"));
      expect(observed.headers.get(variant.timeoutHeader)).not.toBeNull();
      expect(observed.timeoutMs).toBeGreaterThan(0);
      expect(observed.timeoutMs).toBeLessThanOrEqual(60_000);
      expect(response.deadlineMs).toBeGreaterThan(0n);
    });

    it("fails with DEADLINE_EXCEEDED on expiry, enforced by the client alone, and aborts the request", async () => {
      const local = createEchoServiceClient(variant.create(server.baseUrl, fetchWithout(variant.timeoutHeader)));
      const error = await rpcError(local.echo({ message: key("local deadline"), delayMs: 1 }, { timeoutMs: 300 }));
      expect(error.code).toBe(Code.DEADLINE_EXCEEDED);
      const observed = await server.observed(key("local deadline"));
      expect(observed.timeoutMs).toBeUndefined();
      await observed.aborted;
    });

    it("fails with DEADLINE_EXCEEDED on expiry when the server knows the deadline too", async () => {
      const error = await rpcError(client().echo({ message: key("deadline"), delayMs: 1 }, { timeoutMs: 300 }));
      expect(error.code).toBe(Code.DEADLINE_EXCEEDED);
    });

    it("cancels a call whose signal aborts: CANCELLED, and the server's handler sees the abort", async () => {
      const controller = new AbortController();
      const call = client().echo({ message: key("cancel"), delayMs: 1 }, { signal: controller.signal });
      const observed = await server.observed(key("cancel"));
      controller.abort();
      expect((await rpcError(call)).code).toBe(Code.CANCELLED);
      await observed.aborted;
    });

    it("refuses client and bidi streaming calls with UNIMPLEMENTED, saying why", async () => {
      const requests = async function* () {
        yield { message: "never sent" };
      };
      const collect = await rpcError(client().collect(requests()));
      expect(collect.code).toBe(Code.UNIMPLEMENTED);
      expect(collect.message).toMatch(/client streaming.*fetch cannot stream request bodies/);
      const { error } = await drain(client().chat(requests()));
      expect(error?.code).toBe(Code.UNIMPLEMENTED);
      expect(error?.message).toMatch(/bidi streaming/);
    });

    describe("with streamRequests (half duplex)", () => {
      const streaming = () => createEchoServiceClient(variant.create(server.baseUrl, connectionFetch(), true));
      const messages = async function* (...texts: string[]) {
        for (const message of texts) {
          yield { message };
        }
      };

      it("makes client-streaming calls", async () => {
        const response = await streaming().collect(messages(key("collect"), "b", "c"));
        expect(response.message).toBe(`${key("collect")},b,c`);
        expect(response.index).toBe(3);
        expect((await server.observed(key("collect"))).completed()).toBe(true);
      });

      // connect-node answers bidi calls over HTTP/1.1 with 505 (HTTP Version Not Supported).
      it.runIf(useHttp2)("makes bidi calls, many requests with backpressure", async () => {
        const texts = [key("chat"), ...Array.from({ length: 199 }, (_, index) => `m${index}`)];
        const { messages: responses, error } = await drain(streaming().chat(messages(...texts)));
        expect(error).toBeUndefined();
        expect(responses.map((response) => response.message)).toEqual(texts);
      });

      it("reports a client stream's failure", async () => {
        const requests = async function* () {
          yield { message: key("collect failure") };
          yield { message: "x", failCode: Code.ABORTED, failMessage: "conflict" };
        };
        const error = await rpcError(streaming().collect(requests()));
        expect(error.code).toBe(Code.ABORTED);
      });

      it("cancels a client stream without half-closing it: the server never sees a complete stream", async () => {
        const controller = new AbortController();
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        const requests = async function* () {
          yield { message: key("collect cancel") };
          await held;
        };
        const call = streaming().collect(requests(), { signal: controller.signal });
        const observed = await server.observed(key("collect cancel"));
        controller.abort();
        expect((await rpcError(call)).code).toBe(Code.CANCELLED);
        await observed.aborted;
        expect(observed.responses()).toBe(1);
        if (!useHttp2) {
          // Node's HTTP/2 compatibility API, under connect-node, ends a reset request's body as if it were complete.
          expect(observed.completed()).toBe(false);
        }
        release();
      });
    });

    it("maps an HTTP error without a protocol status to a code (503 → UNAVAILABLE, 404 → UNIMPLEMENTED)", async () => {
      const unavailable = createEchoServiceClient(transport(`${server.baseUrl}/http-error/503`));
      expect((await rpcError(unavailable.echo({ message: "x" }))).code).toBe(Code.UNAVAILABLE);
      expect((await drain(unavailable.expand({ message: "x", repeat: 1 }))).error?.code).toBe(Code.UNAVAILABLE);
      const missing = createEchoServiceClient(transport(`${server.baseUrl}/http-error/404`));
      expect((await rpcError(missing.echo({ message: "x" }))).code).toBe(Code.UNIMPLEMENTED);
    });

    it("fails with UNAVAILABLE when nothing answers", async () => {
      const nowhere = createEchoServiceClient(variant.create("http://127.0.0.1:1"));
      expect((await rpcError(nowhere.echo({ message: "x" }))).code).toBe(Code.UNAVAILABLE);
    });
  });

  describe.each([
    { name: "binary", useBinaryFormat: true },
    { name: "JSON", useBinaryFormat: false },
  ])("Connect GET ($name)", ({ name, useBinaryFormat }) => {
    it("sends a NO_SIDE_EFFECTS method as GET when asked, and POST otherwise", async () => {
      const fetch = connectionFetch();
      const get = createFlakyServiceClient(createConnectTransport({ baseUrl: server.baseUrl, fetch, useBinaryFormat, useHttpGet: true }));
      expect((await get.read({ key: `${connection} get ${name}` })).attempt).toBe(1);
      const post = createFlakyServiceClient(createConnectTransport({ baseUrl: server.baseUrl, fetch, useBinaryFormat }));
      expect((await post.read({ key: `${connection} post ${name}` })).attempt).toBe(1);
      expect((await server.observed(`${connection} get ${name}`)).httpMethod).toBe("GET");
      expect((await server.observed(`${connection} post ${name}`)).httpMethod).toBe("POST");
    });
  });
});
