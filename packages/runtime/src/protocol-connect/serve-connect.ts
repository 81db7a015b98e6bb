import type { IncomingHttpHeaders } from "node:http";
import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import type { ServerRoute } from "../server/server-routes.js";
import { acceptsGzip, checkEncoding, tooLarge } from "../web-server/compression.js";
import { header, type HttpExchange } from "../web-server/http-exchange.js";
import { decodeRequest, type MessageFormat, responseEncoder } from "../web-server/message-codec.js";
import { headersToMetadata, webMetadataKey } from "../web-server/metadata-headers.js";
import { readBody } from "../web-server/read-body.js";
import { plainMessage, singleFramedMessage } from "../web-server/request-message.js";
import { feedRequestStream } from "../web-server/request-stream.js";
import { startWebCall, startWebStreamCall, statusOf, type WebSettings } from "../web-server/start-web-call.js";
import type { ResponseSink } from "../web-server/web-call.js";
import { type ConnectContentType, connectContentType } from "./connect-content-type.js";
import { connectErrorJson } from "./connect-error.js";
import { createConnectStreamSink, createConnectUnarySink } from "./connect-sinks.js";

/** Room for gzip's overhead on a message that does not compress. */
const compressionSlackBytes = 1024;

/**
 * Serves one Connect POST request of a unary method (`application/proto` or
 * `application/json`, the message as the body) or a server-streaming one
 * (`application/connect+proto` / `+json`, one enveloped message), or a
 * client-streaming or bidi one (the messages enveloped, read as they
 * arrive), through the server's dispatcher. The caller checked that the
 * content type's kind fits the method's.
 */
export function serveConnectPost(exchange: HttpExchange, route: ServerRoute, type: ConnectContentType, settings: WebSettings): void {
  const { request } = exchange;
  const headers = request.headers;
  const sink = connectSink(exchange, type, acceptsGzip(header(headers, type.streaming ? "connect-accept-encoding" : "accept-encoding")), settings);
  let deadlineMs: number;
  let compressed: boolean;
  try {
    deadlineMs = checkCall(exchange, settings);
    compressed = checkEncoding(
      header(headers, type.streaming ? "connect-content-encoding" : "content-encoding"),
      type.streaming ? "connect-content-encoding" : "content-encoding",
    );
  } catch (error) {
    request.resume();
    sink.end(statusOf(error), undefined);
    return;
  }
  if (route.method.requestStream) {
    const metadata = headersToMetadata(headers, webMetadataKey);
    const parts = { exchange, sink, encode: responseEncoder(route, type.format, settings), streaming: route.method.responseStream };
    startWebStreamCall(parts, route, metadata, deadlineMs, (call) =>
      feedRequestStream(request, call, {
        decode: (bytes) => decodeRequest(route, type.format, bytes, settings),
        compressed,
        encodingHeader: "connect-content-encoding",
        maxReceiveBytes: settings.maxReceiveBytes,
      }),
    );
    return;
  }
  const limit = settings.maxReceiveBytes + (type.streaming ? 5 : 0) + (compressed ? compressionSlackBytes : 0);
  readBody(request, limit, (body) => {
    let message: unknown;
    try {
      if (body === undefined) {
        throw tooLarge("request", settings.maxReceiveBytes);
      }
      const bytes = type.streaming
        ? singleFramedMessage(body, compressed, settings.maxReceiveBytes, "connect-content-encoding")
        : plainMessage(body, compressed, settings.maxReceiveBytes);
      message = decodeRequest(route, type.format, bytes, settings);
    } catch (error) {
      sink.end(statusOf(error), undefined);
      return;
    }
    start(exchange, route, type, sink, message, deadlineMs, settings);
  });
}

/**
 * Serves a Connect GET request of a unary method without side effects:
 * `?connect=v1&encoding=proto|json&message=…[&base64=1][&compression=gzip]`,
 * so that browsers and CDNs can cache it.
 */
export function serveConnectGet(exchange: HttpExchange, route: ServerRoute, settings: WebSettings): void {
  const { query, request } = exchange;
  const format = query.get("encoding")?.toLowerCase();
  const type: ConnectContentType = { streaming: false, format: format === "json" ? "json" : "proto" };
  const sink = connectSink(exchange, type, acceptsGzip(header(request.headers, "accept-encoding")), settings);
  let message: unknown;
  let deadlineMs: number;
  try {
    deadlineMs = checkCall(exchange, settings);
    const version = query.get("connect");
    if (version !== null && version !== "v1") {
      throw new RpcError(Code.INVALID_ARGUMENT, `unsupported connect query parameter "${version}"; this server speaks v1`);
    }
    if (format !== "json" && format !== "proto") {
      throw new RpcError(Code.INVALID_ARGUMENT, `the encoding query parameter must be "proto" or "json", not "${format ?? ""}"`);
    }
    const compressed = checkEncoding(query.get("compression") ?? undefined, "compression query parameter");
    const text = query.get("message") ?? "";
    const raw = query.get("base64") === "1" ? Buffer.from(text, "base64url") : Buffer.from(text, "utf8");
    message = decodeRequest(route, format as MessageFormat, plainMessage(raw, compressed, settings.maxReceiveBytes), settings);
  } catch (error) {
    sink.end(statusOf(error), undefined);
    return;
  }
  request.resume();
  start(exchange, route, type, sink, message, deadlineMs, settings);
}

/**
 * Answers a Connect request for a method the server does not serve: 404, as
 * for any unknown path, with the Connect error JSON (`unimplemented`).
 */
export function rejectUnknownMethod(exchange: HttpExchange): void {
  exchange.request.resume();
  const body = JSON.stringify(connectErrorJson({ code: Code.UNIMPLEMENTED, details: `The server does not implement the method ${exchange.path}` }));
  exchange.response.writeHead(404, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  exchange.response.end(body);
}

function connectSink(exchange: HttpExchange, type: ConnectContentType, gzip: boolean, settings: WebSettings): ResponseSink {
  const options = { contentType: connectContentType(type), gzip, compressMinBytes: settings.compressMinBytes };
  return type.streaming ? createConnectStreamSink(exchange.response, options) : createConnectUnarySink(exchange.response, options);
}

/** Checks what every Connect call needs and returns its deadline (epoch ms, `Infinity` for none). */
function checkCall(exchange: HttpExchange, settings: WebSettings): number {
  const { headers } = exchange.request;
  if (settings.closing) {
    throw new RpcError(Code.UNAVAILABLE, "Server shutting down");
  }
  const version = header(headers, "connect-protocol-version");
  if (version !== undefined && version !== "1") {
    throw new RpcError(Code.INVALID_ARGUMENT, `unsupported Connect-Protocol-Version "${version}"; this server speaks 1`);
  }
  return connectDeadline(headers, exchange.arrivedMs);
}

/** The deadline `Connect-Timeout-Ms` asks for (at most 10 digits, as the protocol allows). */
function connectDeadline(headers: IncomingHttpHeaders, arrivedMs: number): number {
  const timeout = header(headers, "connect-timeout-ms");
  if (timeout === undefined) {
    return Infinity;
  }
  if (!/^\d{1,10}$/.test(timeout)) {
    throw new RpcError(Code.INVALID_ARGUMENT, `invalid Connect-Timeout-Ms header "${timeout}": expected 1 to 10 digits`);
  }
  return arrivedMs + Number(timeout);
}

function start(
  exchange: HttpExchange,
  route: ServerRoute,
  type: ConnectContentType,
  sink: ResponseSink,
  message: unknown,
  deadlineMs: number,
  settings: WebSettings,
): void {
  const encode = responseEncoder(route, type.format, settings);
  const metadata = headersToMetadata(exchange.request.headers, webMetadataKey);
  startWebCall({ exchange, sink, encode, streaming: type.streaming }, route, message, metadata, deadlineMs);
}
