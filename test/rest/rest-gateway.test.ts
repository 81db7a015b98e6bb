import { execFile, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { closeClient, Code, createServer, RpcError, type StubwrightServer } from "@stubwright/runtime";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import { createRestHandler, HttpRuleError } from "@stubwright/runtime/rest";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BookSchema } from "../golden/ts/bookstore/v1/bookstore_pb.js";
import { BookstoreDefinition, createBookstoreClient, type BookstoreHandlers } from "../golden/ts/bookstore/v1/bookstore_grpc.js";
import { methodWithRule } from "./rule-fixture.js";

/** What handlers saw, for the tests to check after a call. */
const seen = { metadata: new Map<string, string>(), deadline: undefined as Date | undefined, downstreamDeadline: undefined as Date | undefined };
/** Settled by the ListBooks handler when its signal aborts (the client went away). */
let streamAborted = deferred<string>();
/** Settled by ListBooks once it has sent its first message and waits. */
let streamWaiting = deferred<void>();

/** Settled by GetShelf("hang") when its signal aborts, and once it waits. */
let unaryAborted = deferred<number>();
let unaryWaiting = deferred<void>();

/** A promise with its resolve function (Promise.withResolvers is Node 22+). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** The downstream gRPC server that GetShelf calls with a deadline-inheriting client (address set in beforeAll). */
let downstream: StubwrightServer;
let downstreamAddress = "";

const handlers: Partial<BookstoreHandlers> = {
  async getShelf(request, context) {
    seen.metadata = new Map([...Object.entries(context.metadata.getMap())].map(([key, value]) => [key, String(value)]));
    seen.deadline = context.deadline;
    if (request.shelf === "missing") {
      throw new RpcError(Code.NOT_FOUND, "no shelf missing", { details: [create(ErrorInfoSchema, { reason: "SHELF_MISSING", domain: "bookstore" })] });
    }
    if (request.shelf === "broken") {
      throw new Error("internal detail that must not leak");
    }
    if (request.shelf === "slow") {
      // Waits for the deadline: the call ends when the signal aborts, whatever the speed of the machine.
      await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
      throw context.signal.reason;
    }
    if (request.shelf === "hang") {
      context.signal.addEventListener("abort", () => unaryAborted.resolve((context.signal.reason as RpcError).code));
      unaryWaiting.resolve();
      await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
      throw context.signal.reason;
    }
    if (request.shelf === "chained") {
      const client = createBookstoreClient(downstreamAddress);
      try {
        await client.getBook({ name: "shelves/1/books/1" });
      } finally {
        closeClient(client);
      }
    }
    context.header.set("x-shelf", request.shelf);
    context.trailer.set("x-served-by", "rest-test");
    return { name: `shelves/${request.shelf}`, theme: "sea", bookCount: 3n };
  },
  getBook: (request) => ({ name: request.name, title: "Dune", pages: 412n, published: timestampFromMs(0) }),
  updateBook: (request) => ({ ...(request.book ?? create(BookSchema)), author: request.updateMask?.paths.join("+") ?? "" }),
  createBook: (request) => ({ ...(request.book ?? create(BookSchema)), name: `${request.parent}/books/${request.requestId}` }),
  deleteBook: (request) => {
    if (!request.force) throw new RpcError(Code.FAILED_PRECONDITION, "not forced");
    return {};
  },
  cancelOrder: (request) => ({ id: request.id, state: "CANCELLED", reason: request.reason, refundCents: request.refundCents }),
  getBookTitle: (request) => ({ name: request.name, title: `title of ${request.name}` }),
  search: (request) => request,
  async *listBooks(request, context) {
    for (let i = 0; i < request.count; i++) {
      yield create(BookSchema, { name: `${request.parent}/books/${i}` });
    }
    if (request.parent === "shelves/trailers") {
      context.trailer.set("x-count", String(request.count));
    }
    if (request.parent === "shelves/fail") {
      throw new RpcError(Code.ABORTED, "stream failed");
    }
    if (request.parent === "shelves/wait") {
      context.signal.addEventListener("abort", () => streamAborted.resolve(String((context.signal.reason as RpcError).code)));
      streamWaiting.resolve();
      await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
    }
  },
};

let server: StubwrightServer;
let http: Server;
let base = "";
const interceptorSaw: string[] = [];

beforeAll(async () => {
  downstream = createServer({ onError: () => {} }).add(BookstoreDefinition, {
    getBook: (request, context) => {
      seen.downstreamDeadline = context.deadline;
      return { name: request.name };
    },
  });
  downstreamAddress = `127.0.0.1:${await downstream.listen()}`;
  server = createServer({
    onError: () => {},
    use: [
      (next) => async (call) => {
        interceptorSaw.push(call.method.methodName);
        if (call.metadata.get("authorization")[0] === "Bearer wrong") {
          throw new RpcError(Code.UNAUTHENTICATED, "bad token");
        }
        return next(call);
      },
    ],
  }).add(BookstoreDefinition, handlers);
  http = createHttpServer(createRestHandler(server));
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await server.forceShutdown();
  await downstream.forceShutdown();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    init.headers = { ...headers, "content-type": "application/json" };
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  const json = response.headers.get("content-type") === "application/json" && text !== "" ? (JSON.parse(text) as unknown) : undefined;
  return { status: response.status, headers: response.headers, text, json };
}

describe("REST gateway: routes and mapping", () => {
  it("answers GET with a path variable, through the server's interceptors", async () => {
    interceptorSaw.length = 0;
    const response = await call("GET", "/v1/shelves/fiction");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.json).toEqual({ name: "shelves/fiction", theme: "sea", bookCount: "3" });
    expect(interceptorSaw).toEqual(["GetShelf"]);
  });

  it("answers HEAD on a GET route as GET would, without the body", async () => {
    interceptorSaw.length = 0;
    const get = await call("GET", "/v1/shelves/fiction");
    const head = await call("HEAD", "/v1/shelves/fiction");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("content-type")).toBe("application/json");
    expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));
    expect(head.headers.get("grpc-metadata-x-shelf")).toBe("fiction");
    expect(interceptorSaw).toEqual(["GetShelf", "GetShelf"]);
    const missing = await call("HEAD", "/v1/shelves/missing");
    expect([missing.status, missing.text]).toEqual([404, ""]);
    // A server stream too: the status and headers, no lines.
    const stream = await call("HEAD", "/v1/shelves/s/books?count=2");
    expect([stream.status, stream.headers.get("content-type"), stream.text]).toEqual([200, "application/x-ndjson", ""]);
  });

  it("serves a resource name template and its additional binding with **", async () => {
    expect((await call("GET", "/v1/shelves/1/books/2")).json).toMatchObject({
      name: "shelves/1/books/2",
      title: "Dune",
      pages: "412",
      published: "1970-01-01T00:00:00Z",
    });
    expect((await call("GET", "/v1/archive/2019/b%2Fc/x")).json).toMatchObject({ name: "2019/b%2Fc/x" });
  });

  it('maps body: "field" with a nested path variable and a FieldMask query parameter', async () => {
    const response = await call("PATCH", "/v1/shelves/1/books/2?update_mask=title,pages", { title: "Emma", pages: "300" });
    expect(response.json).toEqual({ name: "shelves/1/books/2", title: "Emma", pages: "300", author: "title+pages" });
  });

  it("maps a POST with a parent in the path and a query parameter beside the body", async () => {
    const response = await call("POST", "/v1/shelves/9/books?requestId=abc", { title: "Persuasion", genre: "GENRE_FICTION" });
    expect(response.json).toEqual({ name: "shelves/9/books/abc", title: "Persuasion", genre: "GENRE_FICTION" });
  });

  it('maps a custom verb with body: "*"', async () => {
    const response = await call("POST", "/v1/orders/o-7:cancel", { reason: "late", refundCents: 120 });
    expect(response.json).toEqual({ id: "o-7", state: "CANCELLED", reason: "late", refundCents: 120 });
  });

  it("answers DELETE with the JSON of Empty, and maps its query to the request", async () => {
    const response = await call("DELETE", "/v1/shelves/1/books/2?force=true");
    expect(response.status).toBe(200);
    expect(response.json).toEqual({});
    expect((await call("DELETE", "/v1/shelves/1/books/2")).status).toBe(400);
  });

  it("sends only the response_body field, and serves a custom HTTP method", async () => {
    const title = await call("GET", "/v1/shelves/1/books/2:title");
    expect(title.json).toBe("title of shelves/1/books/2");
    const head = await fetch(`${base}/v1/shelves/1/books/2:title`, { method: "HEAD" });
    expect(head.status).toBe(200);
  });

  it("maps query parameters of every kind", async () => {
    const query = [
      "query=red+fox",
      "tags=a&tags=b",
      "genre=2",
      "genres=GENRE_FICTION&genres=2",
      "min_pages=-9007199254740993",
      "token=-_8",
      "filter.pages.min=10",
      "published_after=2024-01-01T00:00:00Z",
      "max_age=1.5s",
      "limit=7",
      "used=true",
      "unknown_param=ignored",
    ].join("&");
    const response = await call("GET", `/v1/search?${query}`);
    expect(response.json).toEqual({
      query: "red fox",
      tags: ["a", "b"],
      genre: "GENRE_POETRY",
      genres: ["GENRE_FICTION", "GENRE_POETRY"],
      minPages: "-9007199254740993",
      token: "+/8=",
      filter: { pages: { min: 10 } },
      publishedAfter: "2024-01-01T00:00:00Z",
      maxAge: "1.500s",
      limit: 7,
      used: true,
    });
  });

  it("does not route client-streaming methods, nor methods without a rule", async () => {
    expect((await call("POST", "/v1/books:import", {})).status).toBe(404);
  });
});

describe("REST gateway: JSON options", () => {
  it("writes proto field names and defaults, and skips unknown fields, when asked", async () => {
    const listener = createHttpServer(
      createRestHandler(server, { writeOptions: { useProtoFieldName: true, alwaysEmitImplicit: true }, readOptions: { ignoreUnknownFields: true } }),
    );
    listener.listen(0, "127.0.0.1");
    await once(listener, "listening");
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      const order = await fetch(`${url}/v1/orders/3:cancel`, { method: "POST", body: JSON.stringify({ reason: "r", notAField: true }) });
      expect(await order.json()).toEqual({ id: "3", state: "CANCELLED", reason: "r", refund_cents: 0 });
      const strict = await call("POST", "/v1/orders/3:cancel", { reason: "r", notAField: true });
      expect(strict.status).toBe(400);
    } finally {
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

describe("REST gateway: errors", () => {
  it("answers a handler's RpcError as google.rpc.Status JSON with its HTTP status and details", async () => {
    const response = await call("GET", "/v1/shelves/missing");
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      code: Code.NOT_FOUND,
      message: "no shelf missing",
      details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "SHELF_MISSING", domain: "bookstore" }],
    });
  });

  it("answers an unexpected error as over gRPC (UNKNOWN, 500) with a fixed message", async () => {
    const response = await call("GET", "/v1/shelves/broken");
    expect(response.status).toBe(500);
    expect(response.json).toMatchObject({ code: Code.UNKNOWN, details: [] });
    expect(response.text).not.toContain("must not leak");
  });

  it("answers an interceptor's rejection with its status", async () => {
    const response = await call("GET", "/v1/shelves/x", undefined, { authorization: "Bearer wrong" });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ code: Code.UNAUTHENTICATED, message: "bad token" });
  });

  it("answers an unknown path with 404 and a wrong method with 405 and Allow, both JSON", async () => {
    const missing = await call("GET", "/v2/nothing");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ code: Code.NOT_FOUND, message: "no REST route for GET /v2/nothing", details: [] });
    const wrong = await call("PUT", "/v1/shelves/1");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, HEAD");
    expect(wrong.json).toMatchObject({ code: Code.UNIMPLEMENTED });
  });

  it("answers requests that do not map with 400 INVALID_ARGUMENT", async () => {
    const badBody = await call("POST", "/v1/orders/1:cancel", "{not json");
    expect(badBody.status).toBe(400);
    expect(badBody.json).toMatchObject({ code: Code.INVALID_ARGUMENT });
    const badQuery = await call("GET", "/v1/search?genre=GENRE_NOPE");
    expect(badQuery.json).toMatchObject({ code: Code.INVALID_ARGUMENT, message: expect.stringContaining('query parameter "genre"') });
    const badEscape = await call("GET", "/v1/shelves/a%zz");
    expect(badEscape.status).toBe(400);
    const badTimeout = await call("GET", "/v1/shelves/a", undefined, { "grpc-timeout": "soon" });
    expect(badTimeout.json).toMatchObject({ code: Code.INVALID_ARGUMENT, message: expect.stringContaining("Grpc-Timeout") });
  });
});

describe("REST gateway: metadata and deadlines", () => {
  it("forwards Grpc-Metadata-* and allow-listed headers, and returns response headers and trailers", async () => {
    const response = await call("GET", "/v1/shelves/meta", undefined, {
      "grpc-metadata-tenant": "acme",
      authorization: "Bearer ok",
      "x-request-id": "r-1",
      "user-agent-extra": "dropped",
      "grpc-metadata-trace-bin": Buffer.from("binary!").toString("base64"),
      "grpc-metadata-grpc-reserved": "dropped",
    });
    expect(seen.metadata.get("trace-bin")).toBe("binary!");
    expect(seen.metadata.has("grpc-reserved")).toBe(false);
    expect(seen.metadata.get("tenant")).toBe("acme");
    expect(seen.metadata.get("authorization")).toBe("Bearer ok");
    expect(seen.metadata.get("x-request-id")).toBe("r-1");
    expect(seen.metadata.has("user-agent-extra")).toBe(false);
    expect(response.headers.get("grpc-metadata-x-shelf")).toBe("meta");
    expect(response.headers.get("grpc-trailer-x-served-by")).toBe("rest-test");
  });

  it("takes the deadline from Grpc-Timeout and from X-Server-Timeout", async () => {
    const before = Date.now();
    await call("GET", "/v1/shelves/a", undefined, { "grpc-timeout": "30S" });
    const after = Date.now();
    expect(seen.deadline?.getTime()).toBeGreaterThanOrEqual(before + 30_000);
    expect(seen.deadline?.getTime()).toBeLessThanOrEqual(after + 30_000);
    await call("GET", "/v1/shelves/a", undefined, { "x-server-timeout": "20.5" });
    expect(seen.deadline?.getTime()).toBeGreaterThanOrEqual(before + 20_500);
    expect(seen.deadline?.getTime()).toBeLessThanOrEqual(Date.now() + 20_500);
    await call("GET", "/v1/shelves/a");
    expect(seen.deadline).toBeUndefined();
  });

  it("answers DEADLINE_EXCEEDED (504) when the deadline passes", async () => {
    const response = await call("GET", "/v1/shelves/slow", undefined, { "grpc-timeout": "20m" });
    expect(response.status).toBe(504);
    expect(response.json).toMatchObject({ code: Code.DEADLINE_EXCEEDED });
  });

  it("cancels a unary handler when the client goes away", async () => {
    unaryAborted = deferred();
    unaryWaiting = deferred();
    const abort = new AbortController();
    const pending = fetch(`${base}/v1/shelves/hang`, { signal: abort.signal }).catch((error: unknown) => error);
    await unaryWaiting.promise;
    abort.abort();
    expect(await unaryAborted.promise).toBe(Code.CANCELLED);
    expect(await pending).toBeInstanceOf(Error);
  });

  it("passes the REST deadline on to a gRPC call the handler makes", async () => {
    seen.downstreamDeadline = undefined;
    const before = Date.now();
    const response = await call("GET", "/v1/shelves/chained", undefined, { "grpc-timeout": "40S" });
    const elapsed = Date.now() - before;
    expect(response.status).toBe(200);
    const inbound = seen.deadline?.getTime() ?? Number.NaN;
    // A cast: the handler sets it during the await, which control-flow narrowing cannot see.
    const downstreamDeadline = (seen.downstreamDeadline as Date | undefined)?.getTime() ?? Number.NaN;
    // It crossed the wire as a timeout: the downstream server's deadline is the inbound one plus the
    // time in transit (at most the whole call), less grpc-js's millisecond rounding.
    expect(downstreamDeadline).toBeGreaterThanOrEqual(inbound - 1);
    expect(downstreamDeadline).toBeLessThanOrEqual(inbound + elapsed + 1);
  });
});

describe("REST gateway: server streaming", () => {
  it("streams newline-delimited JSON, one result per line", async () => {
    const response = await call("GET", "/v1/shelves/s/books?count=3");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    expect(response.text.split("\n")).toEqual([
      JSON.stringify({ result: { name: "shelves/s/books/0" } }),
      JSON.stringify({ result: { name: "shelves/s/books/1" } }),
      JSON.stringify({ result: { name: "shelves/s/books/2" } }),
      "",
    ]);
  });

  it("sends a stream's trailers as HTTP trailers", async () => {
    const { request } = await import("node:http");
    const trailers = await new Promise<NodeJS.Dict<string>>((resolve, reject) => {
      request(`${base}/v1/shelves/trailers/books?count=1`, (response) => {
        response.resume();
        response.on("end", () => resolve(response.trailers));
      })
        .on("error", reject)
        .end();
    });
    expect(trailers["grpc-trailer-x-count"]).toBe("1");
  });

  it("ends a stream that fails after a message with an error line", async () => {
    const response = await call("GET", "/v1/shelves/fail/books?count=1");
    expect(response.status).toBe(200);
    const lines = response.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([{ result: { name: "shelves/fail/books/0" } }, { error: { code: Code.ABORTED, message: "stream failed", details: [] } }]);
  });

  it("answers a stream that fails before any message as a unary error", async () => {
    const response = await call("GET", "/v1/shelves/fail/books?count=0");
    expect(response.status).toBe(409);
    expect(response.json).toEqual({ code: Code.ABORTED, message: "stream failed", details: [] });
  });

  it("an empty stream is an empty 200 body", async () => {
    const response = await call("GET", "/v1/shelves/none/books");
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
  });

  it("cancels the handler when the client goes away", async () => {
    streamAborted = deferred();
    streamWaiting = deferred();
    const abort = new AbortController();
    const response = await fetch(`${base}/v1/shelves/wait/books?count=1`, { signal: abort.signal });
    const reader = response.body?.getReader();
    await reader?.read();
    await streamWaiting.promise;
    abort.abort();
    expect(await streamAborted.promise).toBe(String(Code.CANCELLED));
  });
});

/** Whether curl is installed: the curl tests are skipped without it. */
const hasCurl = spawnSync("curl", ["--version"]).status === 0;

/** Runs curl (asynchronously: the server answers from this process) and returns its output, the HTTP status on the last line. */
async function curl(...args: string[]): Promise<{ body: string; status: number }> {
  const { stdout } = await promisify(execFile)("curl", ["--silent", "--show-error", "--write-out", "\n%{http_code}", ...args]);
  const end = stdout.lastIndexOf("\n");
  return { body: stdout.slice(0, end), status: Number(stdout.slice(end + 1)) };
}

describe.skipIf(!hasCurl)("REST gateway, as curl calls it", () => {
  it("answers GET with an encoded path and a query", async () => {
    const { body, status } = await curl(`${base}/v1/search?query=a%20b&tags=x&tags=y`);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ query: "a b", tags: ["x", "y"] });
  });

  it("posts a JSON body to a custom verb", async () => {
    const { body, status } = await curl("-X", "POST", "-H", "content-type: application/json", "-d", '{"reason":"late"}', `${base}/v1/orders/9:cancel`);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ id: "9", state: "CANCELLED", reason: "late" });
  });

  it("reads a server stream line by line, and an error as Status JSON with its HTTP status", async () => {
    const stream = await curl("--no-buffer", `${base}/v1/shelves/c/books?count=2`);
    expect(
      stream.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([{ result: { name: "shelves/c/books/0" } }, { result: { name: "shelves/c/books/1" } }]);
    const missing = await curl(`${base}/v1/shelves/missing`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ code: Code.NOT_FOUND, message: "no shelf missing" });
  });
});

describe("REST gateway: server shutdown", () => {
  it("ends calls in flight with UNAVAILABLE (503) and refuses new ones", async () => {
    const entered = deferred<void>();
    const stopping = createServer({ onError: () => {} }).add(BookstoreDefinition, {
      async getShelf(_request, context) {
        entered.resolve();
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
        throw context.signal.reason;
      },
    });
    const listener = createHttpServer(createRestHandler(stopping));
    listener.listen(0, "127.0.0.1");
    await once(listener, "listening");
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/v1/shelves/1`;
    try {
      const inFlight = fetch(url);
      await entered.promise;
      await stopping.forceShutdown();
      const ended = await inFlight;
      expect(ended.status).toBe(503);
      expect(await ended.json()).toMatchObject({ code: Code.UNAVAILABLE });
      const refused = await fetch(url);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ code: Code.UNAVAILABLE, message: "Server shutting down", details: [] });
    } finally {
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

describe("createRestHandler", () => {
  it("throws an HttpRuleError naming the method for a rule it cannot serve", () => {
    const method = methodWithRule({ pattern: { case: "get", value: "/v1/{nope}" } });
    const bad = createServer({ onError: () => {} }).add(method.parent, {});
    expect(() => createRestHandler(bad)).toThrow(HttpRuleError);
    expect(() => createRestHandler(bad)).toThrow(/rpc rules\.v1\.Rules\.Call: google\.api\.http rule get: "\/v1\/\{nope\}"/);
  });

  it("serves the first of two rules that match the same requests, and reports the other as a process warning", () => {
    const conflicting = methodWithRule({
      pattern: { case: "get", value: "/v1/shelves/{name}" },
      additionalBindings: [{ pattern: { case: "get", value: "/v1/shelves/{count}" } }],
    });
    const warnings: Error[] = [];
    const spy = vi.spyOn(process, "emitWarning").mockImplementation((warning) => {
      warnings.push(warning instanceof Error ? warning : new Error(warning));
    });
    try {
      createRestHandler(createServer({ onError: () => {} }).add(conflicting.parent, {}));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]?.[1]).toEqual({ type: "StubwrightWarning", code: "STUBWRIGHT_REST_ROUTE_CONFLICT" });
      expect(warnings[0]?.message).toMatch(/rule GET "\/v1\/shelves\/\{count\}" is not served: rules\.v1\.Rules\.Call's GET "\/v1\/shelves\/\{name\}"/);
    } finally {
      spy.mockRestore();
    }
  });

  it("answers a body larger than maxRequestBytes with 413 RESOURCE_EXHAUSTED, and reads one at the limit", async () => {
    const limited = createHttpServer(createRestHandler(server, { maxRequestBytes: 32 }));
    limited.listen(0, "127.0.0.1");
    await once(limited, "listening");
    const url = `http://127.0.0.1:${(limited.address() as AddressInfo).port}/v1/orders/1:cancel`;
    try {
      const atLimit = JSON.stringify({ reason: "x".repeat(32 - '{"reason":""}'.length) });
      expect(Buffer.byteLength(atLimit)).toBe(32);
      const ok = await fetch(url, { method: "POST", body: atLimit });
      expect(ok.status).toBe(200);
      const tooLarge = await fetch(url, { method: "POST", body: JSON.stringify({ reason: "x".repeat(64) }) });
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.json()).toMatchObject({ code: Code.RESOURCE_EXHAUSTED });
    } finally {
      limited.closeAllConnections();
      await new Promise((resolve) => limited.close(resolve));
    }
  });

  it("keeps a server that has no annotated method routing nothing", async () => {
    const plain = createServer({ onError: () => {} });
    const listener = createRestHandler(plain);
    const other = createHttpServer(listener);
    other.listen(0, "127.0.0.1");
    await once(other, "listening");
    try {
      const response = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/v1/anything`);
      expect(response.status).toBe(404);
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
