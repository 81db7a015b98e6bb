import { once } from "node:events";
import { createServer as createHttp1Server, type Server as Http1Server } from "node:http";
import { readFileSync } from "node:fs";
import { createServer as createHttp2Server, createSecureServer, type Http2SecureServer, type Http2Server, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { closeClient, Code, createServer, RpcError, type ServerOptions, type StubwrightServer } from "@stubwright/runtime";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import { createWebHandler, type WebHandlerOptions } from "@stubwright/runtime/web-server";
import { createEchoServiceClient, EchoServiceDefinition, type EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { EchoRequest } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { FlakyServiceDefinition } from "../golden/ts/fixture/retry/v1/flaky_grpc.js";

/** What the handlers saw, for tests to check after a call. */
export interface WebServerObservations {
  /** Settled with the abort reason's code when a "hang" handler's signal fires. */
  aborted: Promise<number>;
  /** Settled once a "hang" handler waits. */
  waiting: Promise<void>;
  /** The deadline the downstream gRPC server saw for a "chained" call. */
  downstreamDeadline: Date | undefined;
  /** Methods the interceptor saw. */
  readonly intercepted: string[];
  /** How the last Collect or Chat handler's request stream ended: "end", or the code reading failed with. */
  requestStreamOutcome: Promise<"end" | number>;
}

/** The servers of a web-server test: the gRPC server, its web handler on HTTP/1.1 and on HTTP/2 (h2c), and a downstream gRPC server. */
export interface WebServerFixture {
  readonly server: StubwrightServer;
  readonly http1Url: string;
  readonly http2Url: string;
  /** One TLS port for both: `http2.createSecureServer({ allowHTTP1: true })` (certificate for 127.0.0.1 from test/fixtures/certs). */
  readonly httpsUrl: string;
  /** The CA that signed its certificate. */
  readonly ca: Buffer;
  readonly seen: WebServerObservations;
  /** Re-arms the "hang" promises before a test that uses them. */
  resetHang(): void;
  close(): Promise<void>;
}

/**
 * Starts the EchoService (and FlakyService, whose Read has no side effects)
 * behind `createWebHandler` on 127.0.0.1:0 over HTTP/1.1 and HTTP/2. The
 * request's `message` says how the handler behaves: "details" fails with
 * NOT_FOUND and an ErrorInfo, "unicode" with a message to escape, "crash"
 * throws a plain Error, "hang" waits for its signal (Expand: after its messages), "chained" calls a downstream gRPC server, "big" answers 4 KiB.
 */
export async function startWebServerFixture(options: WebHandlerOptions = {}, serverOptions: ServerOptions = {}): Promise<WebServerFixture> {
  const seen: WebServerObservations = {
    aborted: Promise.resolve(0),
    waiting: Promise.resolve(),
    downstreamDeadline: undefined,
    intercepted: [],
    requestStreamOutcome: Promise.resolve("end"),
  };
  let abortedResolve: (code: number) => void = () => {};
  let waitingResolve: () => void = () => {};
  const resetHang = (): void => {
    seen.aborted = new Promise((resolve) => {
      abortedResolve = resolve;
    });
    seen.waiting = new Promise((resolve) => {
      waitingResolve = resolve;
    });
  };
  resetHang();

  const downstream = createServer({ onError: () => {} }).add(EchoServiceDefinition, {
    echo: (request, context) => {
      seen.downstreamDeadline = context.deadline;
      return { message: request.message };
    },
  });
  const downstreamAddress = `127.0.0.1:${await downstream.listen()}`;

  /** Reads a request stream for Collect and Chat, recording how it ended in `seen.requestStreamOutcome`. */
  async function* observeRequests(requests: AsyncIterable<EchoRequest>, signal: AbortSignal): AsyncGenerator<EchoRequest> {
    let settle: (outcome: "end" | number) => void = () => {};
    seen.requestStreamOutcome = new Promise((resolve) => {
      settle = resolve;
    });
    try {
      for await (const request of requests) {
        if (request.message === "fail") {
          throw new RpcError(Code.FAILED_PRECONDITION, "request stream refused", { details: [create(ErrorInfoSchema, { reason: "STREAM_REFUSED" })] });
        }
        yield request;
        if (request.message === "hang") {
          // Reads on only once cancelled: what reading does then is the outcome.
          signal.addEventListener("abort", () => abortedResolve((signal.reason as RpcError).code));
          waitingResolve();
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
        }
      }
      settle("end");
    } catch (error) {
      settle(error instanceof RpcError ? error.code : -1);
      throw error;
    }
  }

  const handlers: Partial<EchoServiceHandlers> = {
    async echo(request, context) {
      const seenMetadata: Record<string, string> = {};
      for (const [key, value] of Object.entries(context.metadata.getMap())) {
        seenMetadata[key] = typeof value === "string" ? value : Buffer.from(value).toString("hex");
      }
      switch (request.message) {
        case "details":
          throw new RpcError(Code.NOT_FOUND, "no such thing", { details: [create(ErrorInfoSchema, { reason: "MISSING", domain: "web.test" })] });
        case "unicode":
          throw new RpcError(Code.INVALID_ARGUMENT, "bad é 100%\nsecond line");
        case "crash":
          throw new Error("internal detail that must not leak");
        case "hang":
          context.signal.addEventListener("abort", () => abortedResolve((context.signal.reason as RpcError).code));
          waitingResolve();
          await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
          throw context.signal.reason;
        case "chained": {
          const client = createEchoServiceClient(downstreamAddress);
          try {
            await client.echo({ message: "downstream" });
          } finally {
            closeClient(client);
          }
          break;
        }
      }
      context.header.set("x-header", "head-value");
      context.trailer.set("x-trailer", "trail-value");
      const remaining = context.timeRemainingMs();
      return {
        message: request.message === "big" ? "x".repeat(4096) : request.message,
        seenMetadata,
        deadlineMs: remaining === Infinity ? -1n : BigInt(Math.round(remaining)),
      };
    },
    async *expand(request, context) {
      context.header.set("x-header", "stream-head");
      for (let index = 0; index < request.repeat; index++) {
        yield { message: `${request.message}-${index}`, index };
      }
      if (request.message === "hang") {
        // Sent one message; waits until the client goes away.
        context.signal.addEventListener("abort", () => abortedResolve((context.signal.reason as RpcError).code));
        waitingResolve();
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
      }
      if (request.failCode !== 0) {
        throw new RpcError(request.failCode as Code, request.failMessage, { details: [create(ErrorInfoSchema, { reason: "STREAM_FAILED" })] });
      }
      context.trailer.set("x-trailer", "stream-trail");
    },
    // Client streaming and bidi: "fail" fails the call (with details), "hang" waits for the signal while reading on.
    async collect(requests, context) {
      const texts: string[] = [];
      for await (const request of observeRequests(requests, context.signal)) {
        texts.push(request.message);
      }
      context.trailer.set("x-trailer", "collect-trail");
      return { message: texts.join(","), index: texts.length };
    },
    async *chat(requests, context) {
      context.header.set("x-header", "chat-head");
      let index = 0;
      for await (const request of observeRequests(requests, context.signal)) {
        yield { message: request.message, index: index++ };
      }
    },
  };
  const server = createServer({
    onError: () => {},
    ...serverOptions,
    use: [
      (next) => async (call) => {
        seen.intercepted.push(call.method.methodName);
        if (call.metadata.get("authorization")[0] === "Bearer wrong") {
          throw new RpcError(Code.UNAUTHENTICATED, "bad token");
        }
        return next(call);
      },
    ],
  })
    .add(EchoServiceDefinition, handlers)
    .add(FlakyServiceDefinition, { read: (request) => ({ attempt: request.failures + 1 }) });
  const listener = createWebHandler(server, options);

  const http1: Http1Server = createHttp1Server(listener);
  http1.listen(0, "127.0.0.1");
  await once(http1, "listening");
  const sessions = new Set<Http2Session>();
  const trackSessions = (session: Http2Session): void => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  };
  const http2: Http2Server = createHttp2Server(listener).on("session", trackSessions);
  http2.listen(0, "127.0.0.1");
  await once(http2, "listening");
  const certs = new URL("../fixtures/certs/", import.meta.url);
  const https: Http2SecureServer = createSecureServer(
    { allowHTTP1: true, key: readFileSync(new URL("server.key", certs)), cert: readFileSync(new URL("server.pem", certs)) },
    listener,
  ).on("session", trackSessions);
  // HTTP/1.1 connections of the secure server are plain TLS sockets, not sessions.
  const sockets = new Set<import("node:net").Socket>();
  https.on("secureConnection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  https.listen(0, "127.0.0.1");
  await once(https, "listening");
  return {
    server,
    http1Url: `http://127.0.0.1:${(http1.address() as AddressInfo).port}`,
    http2Url: `http://127.0.0.1:${(http2.address() as AddressInfo).port}`,
    httpsUrl: `https://127.0.0.1:${(https.address() as AddressInfo).port}`,
    ca: readFileSync(new URL("ca.pem", certs)),
    seen,
    resetHang,
    async close() {
      http1.closeAllConnections();
      for (const session of sessions) {
        session.destroy();
      }
      for (const socket of sockets) {
        socket.destroy();
      }
      await Promise.all([http1, http2, https].map((listening) => new Promise((resolve) => listening.close(resolve))));
      await server.forceShutdown();
      await downstream.forceShutdown();
    },
  };
}
