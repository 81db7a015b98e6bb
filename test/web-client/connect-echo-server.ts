import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { ConnectError, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import { type EchoRequest, EchoService } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { FlakyService } from "../golden/ts/fixture/retry/v1/flaky_pb.js";

/** What a handler of the test server saw of one call, keyed by the request's `message` (or `key`). */
export interface ObservedCall {
  /** The request headers as the server received them. */
  readonly headers: Headers;
  /** The HTTP method of the request (GET or POST). */
  readonly httpMethod: string;
  /** The timeout the server took from the request, if any. */
  readonly timeoutMs: number | undefined;
  /** Resolves when the handler's call ends early (the client went away, or the deadline passed). */
  readonly aborted: Promise<void>;
  /** The number of responses the handler has produced (requests it has read, for client streaming) so far. */
  responses(): number;
  /** True once a client-streaming handler has read its whole request stream (the client half-closed it). */
  completed(): boolean;
}

/** A connect-node server (Connect, gRPC-Web and gRPC on one HTTP/1.1 port) for the fetch transport tests. */
export interface ConnectEchoServer {
  readonly baseUrl: string;
  /** The call whose request had `key` as its message, once its handler has started. */
  observed(key: string): Promise<ObservedCall>;
  close(): Promise<void>;
}

/**
 * Starts the test server on 127.0.0.1:0, over HTTP/1.1 or (`http2`) over
 * HTTP/2 without TLS. EchoService's `echo` answers with
 * the request's message, its `x-test` header echoed in a response header
 * and a trailer; it fails with `failCode` (an ErrorInfo detail attached), or,
 * with `delayMs` set, never answers until the call is aborted. `expand`
 * streams `repeat` messages. FlakyService's `read` (no side effects) answers
 * `attempt: 1`. Requests under `/http-error/<status>` get that HTTP status
 * with a plain-text body, as from a proxy.
 */
export async function startConnectEchoServer(options: { readonly http2?: boolean } = {}): Promise<ConnectEchoServer> {
  const started = new Map<string, (call: ObservedCall) => void>();
  const calls = new Map<string, Promise<ObservedCall>>();
  const observed = (key: string): Promise<ObservedCall> => {
    let call = calls.get(key);
    if (call === undefined) {
      call = new Promise((resolve) => started.set(key, resolve));
      calls.set(key, call);
    }
    return call;
  };
  const observe = (key: string, context: HandlerContext): { count: number; completed: boolean } => {
    const counter = { count: 0, completed: false };
    const aborted = new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
    void observed(key);
    started.get(key)?.({
      headers: context.requestHeader,
      timeoutMs: context.timeoutMs(),
      httpMethod: context.requestMethod,
      aborted,
      responses: () => counter.count,
      completed: () => counter.completed,
    });
    return counter;
  };
  const adapter = connectNodeAdapter({
    routes(router) {
      router.service(EchoService, {
        async echo(request: EchoRequest, context: HandlerContext) {
          observe(request.message, context);
          if (request.delayMs > 0) {
            await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
            throw new ConnectError("aborted", 1);
          }
          context.responseHeader.set("x-echo", context.requestHeader.get("x-test") ?? "");
          context.responseTrailer.set("x-echo-trailer", `trailer-${context.requestHeader.get("x-test") ?? ""}`);
          const binary = context.requestHeader.get("x-raw-bin");
          if (binary !== null) {
            context.responseTrailer.set("x-raw-bin", binary);
          }
          if (request.failCode !== 0) {
            throw new ConnectError(request.failMessage, request.failCode, undefined, [
              { desc: ErrorInfoSchema, value: { reason: "FAILED_ON_PURPOSE", domain: "stubwright.test", metadata: { asked: String(request.failCode) } } },
            ]);
          }
          return { message: request.message, deadlineMs: BigInt(context.timeoutMs() ?? -1) };
        },
        async *expand(request: EchoRequest, context: HandlerContext) {
          const call = observe(request.message, context);
          context.responseHeader.set("x-echo", context.requestHeader.get("x-test") ?? "");
          for (let index = 0; index < request.repeat && !context.signal.aborted; index++) {
            call.count++;
            yield { message: `${request.message} ${index}`, index };
          }
          if (request.failCode !== 0) {
            throw new ConnectError(request.failMessage, request.failCode);
          }
          context.responseTrailer.set("x-echo-trailer", "done");
        },
        async collect(requests: AsyncIterable<EchoRequest>, context: HandlerContext) {
          const messages: string[] = [];
          let call: { count: number; completed: boolean } | undefined;
          for await (const request of requests) {
            call ??= observe(request.message, context);
            call.count++;
            if (request.failCode !== 0) {
              throw new ConnectError(request.failMessage, request.failCode);
            }
            messages.push(request.message);
          }
          if (call !== undefined) {
            call.completed = true;
          }
          return { message: messages.join(","), index: messages.length };
        },
        async *chat(requests: AsyncIterable<EchoRequest>, context: HandlerContext) {
          let index = 0;
          for await (const request of requests) {
            if (index === 0) {
              observe(request.message, context);
            }
            yield { message: request.message, index: index++ };
          }
        },
      });
      router.service(FlakyService, {
        read(request, context) {
          observe(request.key, context);
          return { attempt: 1 };
        },
      });
    },
  });
  const handle = (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse): void => {
    const httpError = /^\/http-error\/(\d{3})\//.exec(request.url ?? "");
    if (httpError !== null) {
      response.writeHead(Number(httpError[1]), { "content-type": "text/plain" });
      response.end("not a gRPC server");
      return;
    }
    adapter(request as never, response as never);
  };
  const sessions = new Set<Http2Session>();
  const server = options.http2 === true ? createHttp2Server(handle) : createServer(handle);
  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    observed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) {
          server.closeAllConnections();
        }
        for (const session of sessions) {
          session.destroy();
        }
      }),
  };
}
