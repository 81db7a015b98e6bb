import { once } from "node:events";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, createServer, RpcError, type StubwrightServer } from "@stubwright/runtime";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import { createRestGateway, type RestGateway } from "@stubwright/runtime/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Bookstore, BookSchema } from "../golden/ts/bookstore/v1/bookstore_pb.js";
import { BookstoreDefinition } from "../golden/ts/bookstore/v1/bookstore_grpc.js";

/** What the backend's handlers saw. */
const backendSaw = { tenant: "", deadline: undefined as Date | undefined };
/** Resolved by the backend's WatchShelf-style stream when its signal aborts. */
let backendAborted = deferred<number>();
let backendWaiting = deferred<void>();

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

let backend: StubwrightServer;
let gateway: RestGateway;
let http: Server;
let base = "";

beforeAll(async () => {
  // The backend: a gRPC server reached only over the network, as one in another language would be.
  backend = createServer({ onError: () => {} }).add(BookstoreDefinition, {
    getShelf(request, context) {
      backendSaw.tenant = context.metadata.get("tenant")[0]?.toString() ?? "";
      backendSaw.deadline = context.deadline;
      if (request.shelf === "missing") {
        throw new RpcError(Code.NOT_FOUND, "no such shelf", {
          details: [create(ErrorInfoSchema, { reason: "SHELF_MISSING", domain: "bookstore" })],
          metadata: { "x-backend-trailer": "t" },
        });
      }
      context.header.set("x-backend-header", "h");
      return { name: `shelves/${request.shelf}`, bookCount: 2n };
    },
    cancelOrder: (request) => ({ id: request.id, state: "CANCELLED", reason: request.reason }),
    async *listBooks(request, context) {
      for (let i = 0; i < request.count; i++) {
        yield create(BookSchema, { name: `${request.parent}/books/${i}` });
      }
      if (request.parent === "shelves/wait") {
        context.signal.addEventListener("abort", () => backendAborted.resolve((context.signal.reason as RpcError).code));
        backendWaiting.resolve();
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
      }
    },
  });
  const port = await backend.listen();
  gateway = createRestGateway([Bookstore], `127.0.0.1:${port}`, { onError: () => {}, forwardHeaders: ["x-request-id"] });
  http = createHttpServer(gateway.listener);
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await gateway.close();
  await backend.forceShutdown();
});

describe("createRestGateway, in front of a gRPC server", () => {
  it("maps a REST call to the backend and its answer back, metadata both ways", async () => {
    const response = await fetch(`${base}/v1/shelves/a`, { headers: { "grpc-metadata-tenant": "acme" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "shelves/a", bookCount: "2" });
    expect(backendSaw.tenant).toBe("acme");
    expect(response.headers.get("grpc-metadata-x-backend-header")).toBe("h");
  });

  it('maps body: "*" and a custom verb', async () => {
    const response = await fetch(`${base}/v1/orders/5:cancel`, { method: "POST", body: JSON.stringify({ reason: "changed mind" }) });
    expect(await response.json()).toEqual({ id: "5", state: "CANCELLED", reason: "changed mind" });
  });

  it("passes the backend's status on whole: code, message, details and trailers", async () => {
    const response = await fetch(`${base}/v1/shelves/missing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: Code.NOT_FOUND,
      message: "no such shelf",
      details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "SHELF_MISSING", domain: "bookstore" }],
    });
    expect(response.headers.get("grpc-trailer-x-backend-trailer")).toBe("t");
  });

  it("answers a method the backend does not implement with 501 UNIMPLEMENTED", async () => {
    const response = await fetch(`${base}/v1/shelves/1/books/2`);
    expect(response.status).toBe(501);
    expect(await response.json()).toMatchObject({ code: Code.UNIMPLEMENTED });
  });

  it("sends the REST deadline on to the backend", async () => {
    const before = Date.now();
    await fetch(`${base}/v1/shelves/a`, { headers: { "grpc-timeout": "45S" } });
    const after = Date.now();
    const deadline = backendSaw.deadline?.getTime() ?? Number.NaN;
    // The backend's deadline is the REST one plus the time in transit, at most the whole call.
    expect(deadline).toBeGreaterThanOrEqual(before + 45_000 - 1);
    expect(deadline).toBeLessThanOrEqual(after + 45_000 + 1);
  });

  it("streams the backend's messages as NDJSON, and cancels the backend call when the client goes away", async () => {
    const all = await fetch(`${base}/v1/shelves/s/books?count=2`);
    expect((await all.text()).trim().split("\n")).toEqual([
      JSON.stringify({ result: { name: "shelves/s/books/0" } }),
      JSON.stringify({ result: { name: "shelves/s/books/1" } }),
    ]);
    backendAborted = deferred();
    backendWaiting = deferred();
    const abort = new AbortController();
    const waiting = await fetch(`${base}/v1/shelves/wait/books?count=1`, { signal: abort.signal });
    await waiting.body?.getReader().read();
    await backendWaiting.promise;
    abort.abort();
    expect(await backendAborted.promise).toBe(Code.CANCELLED);
  });
});
