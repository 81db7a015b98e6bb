import { createServer, type IncomingMessage, type Server } from "node:http";
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
  /** Resolves when the handler finishes, with the number of responses it produced. */
  readonly finished: Promise<number>;
}

/** A connect-node server (Connect, gRPC-Web and gRPC on one HTTP/1.1 port) for the fetch transport tests. */
export interface ConnectEchoServer {
  readonly baseUrl: string;
  /** The call whose request had `key` as its message, once its handler has started. */
  observed(key: string): Promise<ObservedCall>;
  close(): Promise<void>;
}

/**
 * Starts the test server on 127.0.0.1:0. EchoService's `echo` answers with
 * the request's message, its `x-test` header echoed in a response header
 * and a trailer; it fails with `failCode` (an ErrorInfo detail attached), or,
 * with `delayMs` set, never answers until the call is aborted. `expand`
 * streams `repeat` messages. FlakyService's `read` (no side effects) answers
 * `attempt: 1`. Requests under `/http-error/<status>` get that HTTP status
 * with a plain-text body, as from a proxy.
 */
export async function startConnectEchoServer(): Promise<ConnectEchoServer> {
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
  const observe = (key: string, context: HandlerContext): { done(count: number): void } => {
    let done!: (count: number) => void;
    const finished = new Promise<number>((resolve) => {
      done = resolve;
    });
    const aborted = new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
    void observed(key);
    started.get(key)?.({
      headers: context.requestHeader,
      timeoutMs: context.timeoutMs(),
      httpMethod: context.requestMethod,
      aborted,
      finished,
    });
    return { done };
  };
  const adapter = connectNodeAdapter({
    routes(router) {
      router.service(EchoService, {
        async echo(request: EchoRequest, context: HandlerContext) {
          const call = observe(request.message, context);
          try {
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
          } finally {
            call.done(1);
          }
        },
        async *expand(request: EchoRequest, context: HandlerContext) {
          const call = observe(request.message, context);
          let index = 0;
          try {
            context.responseHeader.set("x-echo", context.requestHeader.get("x-test") ?? "");
            for (; index < request.repeat && !context.signal.aborted; index++) {
              yield { message: `${request.message} ${index}`, index };
            }
            if (request.failCode !== 0) {
              throw new ConnectError(request.failMessage, request.failCode);
            }
            context.responseTrailer.set("x-echo-trailer", "done");
          } finally {
            call.done(index);
          }
        },
      });
      router.service(FlakyService, {
        read(request, context) {
          observe(request.key, context).done(1);
          return { attempt: 1 };
        },
      });
    },
  });
  const server: Server = createServer((request: IncomingMessage, response) => {
    const httpError = /^\/http-error\/(\d{3})\//.exec(request.url ?? "");
    if (httpError !== null) {
      response.writeHead(Number(httpError[1]), { "content-type": "text/plain" }).end("not a gRPC server");
      return;
    }
    adapter(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    observed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
