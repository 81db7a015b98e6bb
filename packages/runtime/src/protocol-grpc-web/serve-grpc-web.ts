import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import type { ServerRoute } from "../server/server-routes.js";
import { acceptsGzip, checkEncoding, tooLarge } from "../web-server/compression.js";
import { parseGrpcTimeoutMs } from "../web-server/grpc-timeout.js";
import { header, type HttpExchange } from "../web-server/http-exchange.js";
import { decodeRequest, responseEncoder } from "../web-server/message-codec.js";
import { headersToMetadata, webMetadataKey } from "../web-server/metadata-headers.js";
import { readBody } from "../web-server/read-body.js";
import { singleFramedMessage } from "../web-server/request-message.js";
import { feedRequestStream } from "../web-server/request-stream.js";
import { startWebCall, startWebStreamCall, statusOf, type WebSettings } from "../web-server/start-web-call.js";
import type { GrpcWebContentType } from "./grpc-web-content-type.js";
import { createGrpcWebSink } from "./grpc-web-sink.js";
import { decodeGrpcWebText } from "./grpc-web-text.js";

/**
 * Serves one gRPC-Web request (POST, `application/grpc-web[-text][+proto]`)
 * of any method: reads its one framed message, or for client-streaming and
 * bidi methods its messages as they arrive, decodes them, and runs the call
 * through the server's dispatcher. Every
 * failure, before the handler or from it, is answered in the trailer frame.
 */
export function serveGrpcWeb(exchange: HttpExchange, route: ServerRoute | undefined, type: GrpcWebContentType, settings: WebSettings): void {
  const { request, response } = exchange;
  const sink = createGrpcWebSink(response, {
    contentType: type.responseType,
    text: type.text,
    gzip: acceptsGzip(header(request.headers, "grpc-accept-encoding")),
    compressMinBytes: settings.compressMinBytes,
  });
  const failEarly = (error: unknown): void => {
    // Answered before the body is read: read it away, so the connection stays usable.
    request.resume();
    sink.end(statusOf(error), undefined);
  };
  let deadlineMs: number;
  let compressed: boolean;
  try {
    if (settings.closing) {
      throw new RpcError(Code.UNAVAILABLE, "Server shutting down");
    }
    if (route === undefined) {
      throw new RpcError(Code.UNIMPLEMENTED, `The server does not implement the method ${exchange.path}`);
    }
    if (type.codec !== "proto") {
      throw new RpcError(Code.UNIMPLEMENTED, `unsupported gRPC-Web codec "${type.codec}"; this server speaks proto`);
    }
    if (route.method.requestStream && type.text) {
      throw new RpcError(Code.UNIMPLEMENTED, `${exchange.path} streams requests: send them as application/grpc-web+proto, not grpc-web-text`);
    }
    const timeout = header(request.headers, "grpc-timeout");
    deadlineMs = timeout === undefined ? Infinity : exchange.arrivedMs + parseGrpcTimeoutMs(timeout);
    compressed = checkEncoding(header(request.headers, "grpc-encoding"), "grpc-encoding");
  } catch (error) {
    failEarly(error);
    return;
  }
  if (route.method.requestStream) {
    const metadata = headersToMetadata(request.headers, webMetadataKey);
    const parts = { exchange, sink, encode: responseEncoder(route, "proto", settings), streaming: route.method.responseStream };
    startWebStreamCall(parts, route, metadata, deadlineMs, (call) =>
      feedRequestStream(request, call, {
        decode: (bytes) => decodeRequest(route, "proto", bytes, settings),
        compressed,
        encodingHeader: "grpc-encoding",
        maxReceiveBytes: settings.maxReceiveBytes,
      }),
    );
    return;
  }
  // Room for the frame prefix and for gzip's overhead on data that does not compress, and for base64.
  const frameBytes = settings.maxReceiveBytes + 5 + 1024;
  readBody(request, type.text ? Math.ceil(frameBytes / 3) * 4 + 4 : frameBytes, (body) => {
    let message: unknown;
    try {
      if (body === undefined) {
        throw tooLarge("request", settings.maxReceiveBytes);
      }
      message = decodeRequest(
        route,
        "proto",
        singleFramedMessage(type.text ? decodeGrpcWebText(body) : body, compressed, settings.maxReceiveBytes, "grpc-encoding"),
        settings,
      );
    } catch (error) {
      sink.end(statusOf(error), undefined);
      return;
    }
    const encode = responseEncoder(route, "proto", settings);
    const metadata = headersToMetadata(request.headers, webMetadataKey);
    startWebCall({ exchange, sink, encode, streaming: route.method.responseStream }, route, message, metadata, deadlineMs);
  });
}
