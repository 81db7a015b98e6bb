import type { JsonReadOptions, JsonWriteOptions } from "@bufbuild/protobuf";
import type { ServerResponse } from "node:http";
import { Code } from "../code.js";
import { parseConnectContentType } from "../protocol-connect/connect-content-type.js";
import { rejectUnknownMethod, serveConnectGet, serveConnectPost } from "../protocol-connect/serve-connect.js";
import { parseGrpcWebContentType } from "../protocol-grpc-web/grpc-web-content-type.js";
import { serveGrpcWeb } from "../protocol-grpc-web/serve-grpc-web.js";
import { createRestHandler, type RestHandlerOptions } from "../rest/create-rest-handler.js";
import { sendStatus } from "../rest/json-response.js";
import type { StubwrightServer } from "../server/create-server.js";
import { serverRoutes, type ServerRoute } from "../server/server-routes.js";
import { standardDetailsRegistry } from "../status/status-details.js";
import { type CorsOptions, createCors } from "./cors.js";
import { header, type HttpExchange, type ResponseLike, type WebRequest, type WebResponse } from "./http-exchange.js";
import type { WebSettings } from "./start-web-call.js";

/** Options for {@link createWebHandler}. */
export interface WebHandlerOptions {
  /** Which other origins (web pages) may call, and with what; without it, none may. */
  readonly cors?: CorsOptions | undefined;
  /**
   * Serve the methods' `google.api.http` routes too, with these options
   * (default `{}`), or `false` for gRPC-Web and Connect only. Requests that
   * match neither protocol nor route get a JSON 404.
   */
  readonly rest?: RestHandlerOptions | false | undefined;
  /** How Connect's JSON requests are read (default: unknown fields are an error). */
  readonly jsonReadOptions?: Partial<JsonReadOptions> | undefined;
  /** How Connect's JSON responses are written. */
  readonly jsonWriteOptions?: Partial<JsonWriteOptions> | undefined;
  /** The largest request message in bytes (default: the server's `grpc.max_receive_message_length`, else 4 MiB). */
  readonly maxReceiveMessageBytes?: number | undefined;
  /** The largest response message in bytes (default: the server's `grpc.max_send_message_length`, else none). */
  readonly maxSendMessageBytes?: number | undefined;
  /** Responses at least this large are gzip-compressed for clients that accept it (default 1024). */
  readonly compressMinBytes?: number | undefined;
}

/**
 * A request listener for `node:http` and `node:http2` servers alike
 * (`http.createServer(listener)`, `http2.createServer(listener)`,
 * `http2.createSecureServer({ allowHTTP1: true }, listener)`).
 */
export type WebRequestListener = (request: WebRequest, response: WebResponse) => void;

/** The content types a method's path accepts over POST, for 415 answers. */
const acceptedTypes =
  "application/grpc-web+proto, application/grpc-web-text+proto, application/proto, application/json, application/connect+proto, application/connect+json";

/** The shape of a method's path, `/package.Service/Method`: Connect requests to one the server lacks get Connect's answer, not REST's. */
const methodPath = /^\/[\w.]+\/\w+$/;

/** grpc-js's default `grpc.max_receive_message_length`. */
const defaultMaxReceiveBytes = 4 * 1024 * 1024;

/**
 * Creates a request listener that serves a server's methods to browsers and
 * HTTP clients: gRPC-Web (binary and text) and the Connect protocol (unary
 * over POST or, for methods without side effects, GET; server streaming),
 * plus the REST routes of `google.api.http` annotations, over HTTP/1.1 and
 * HTTP/2. Calls go through the server's own dispatcher: the same handlers,
 * interceptors, deadlines (`grpc-timeout`, `connect-timeout-ms`),
 * propagation, error policy and shutdown as over gRPC. Client-streaming
 * methods are served over HTTP/1.1 and HTTP/2; bidi methods need HTTP/2
 * (full duplex) and answer HTTP 505 over HTTP/1.1, as connect-node does.
 * Plain gRPC stays on the server's own port.
 */
export function createWebHandler(server: StubwrightServer, options: WebHandlerOptions = {}): WebRequestListener {
  const routes = serverRoutes(server) ?? new Map<string, ServerRoute>();
  const limits = [...routes.values()][0]?.limits;
  const settings: WebSettings = {
    maxReceiveBytes: positiveLimit(options.maxReceiveMessageBytes ?? limits?.maxReceiveMessageBytes, defaultMaxReceiveBytes),
    maxSendBytes: positiveLimit(options.maxSendMessageBytes ?? limits?.maxSendMessageBytes, Infinity),
    compressMinBytes: options.compressMinBytes ?? 1024,
    readOptions: options.jsonReadOptions ?? {},
    writeOptions: options.jsonWriteOptions ?? {},
    closing: false,
  };
  server.onShutdown(() => {
    settings.closing = true;
  });
  const cors = createCors(options.cors);
  const rest = options.rest === false ? undefined : createRestHandler(server, options.rest ?? {});
  return (request, response) => {
    const arrivedMs = Date.now();
    if (cors(request, response) === "answered") {
      return;
    }
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const exchange: HttpExchange = {
      request,
      response,
      path: queryStart === -1 ? url : url.slice(0, queryStart),
      query: new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1)),
      arrivedMs,
    };
    if (!serveRpc(exchange, routes.get(exchange.path), settings)) {
      if (rest === undefined) {
        reject(exchange, Code.NOT_FOUND, `no route for ${request.method} ${exchange.path}`, 404);
      } else {
        rest(request as never, response as never);
      }
    }
  };
}

/** Serves a gRPC-Web or Connect request; false when the request is neither (for REST). */
function serveRpc(exchange: HttpExchange, route: ServerRoute | undefined, settings: WebSettings): boolean {
  const { request } = exchange;
  const contentType = header(request.headers, "content-type");
  const grpcWeb = parseGrpcWebContentType(contentType);
  if (route?.method.kind === "bidi_streaming" && request.httpVersionMajor < 2 && request.method === "POST") {
    reject(exchange, Code.UNIMPLEMENTED, `${exchange.path} is a bidi streaming method, which needs HTTP/2`, 505);
    return true;
  }
  if (request.method === "POST" && grpcWeb !== undefined) {
    // Over gRPC-Web an unknown method is UNIMPLEMENTED, as over gRPC.
    serveGrpcWeb(exchange, route, grpcWeb, settings);
    return true;
  }
  if (route === undefined) {
    if (request.method === "POST" && parseConnectContentType(contentType) !== undefined && methodPath.test(exchange.path)) {
      rejectUnknownMethod(exchange);
      return true;
    }
    return false;
  }
  const getAllowed = route.method.kind === "unary" && route.method.idempotency === "no_side_effects";
  if (request.method === "GET" && getAllowed) {
    serveConnectGet(exchange, route, settings);
    return true;
  }
  if (request.method !== "POST") {
    const allow = getAllowed ? "GET, POST" : "POST";
    reject(exchange, Code.UNIMPLEMENTED, `${request.method} is not allowed for ${exchange.path}; allowed: ${allow}`, 405, { allow });
    return true;
  }
  const connect = parseConnectContentType(contentType);
  // Connect's streaming content types are those of every method that streams, either way.
  const streams = route.method.requestStream || route.method.responseStream;
  if (connect === undefined || connect.streaming !== streams) {
    const expected = streams ? "application/connect+proto or application/connect+json" : "application/proto or application/json";
    const reason = connect === undefined ? `unsupported content type "${contentType ?? ""}"` : `content type "${contentType ?? ""}" does not fit this method`;
    reject(exchange, Code.UNIMPLEMENTED, `${reason}; send gRPC-Web, or Connect's ${expected}`, 415, { "accept-post": acceptedTypes });
    return true;
  }
  serveConnectPost(exchange, route, connect, settings);
  return true;
}

/** Answers a request that reaches no call with a JSON status and its own HTTP status. */
function reject(exchange: HttpExchange, code: Code, details: string, httpStatus: number, headers: Record<string, string> = {}): void {
  // Answered before the body is read: read it away, so the connection stays usable.
  exchange.request.resume();
  sendStatus(exchange.response as ResponseLike as ServerResponse, { code, details }, standardDetailsRegistry, headers, httpStatus);
}

function positiveLimit(value: number | undefined, fallback: number): number {
  return value === undefined ? fallback : value < 0 ? Infinity : value;
}
