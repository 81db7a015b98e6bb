import { encodeEnvelope } from "../protocol-envelope/envelope.js";
import type { ResponseLike } from "../web-server/http-exchange.js";
import { metadataText } from "../web-server/metadata-headers.js";
import { createStreamHead, envelopeMessage } from "../web-server/stream-sink.js";
import type { CallStatus, ResponseSink } from "../web-server/web-call.js";

/** The flag of the frame that carries the trailers. */
const trailerFlag = 0x80;

/** Trailer keys the status itself writes. */
const statusKeys: ReadonlySet<string> = new Set(["grpc-status", "grpc-message"]);

/** How a gRPC-Web response is written. */
export interface GrpcWebSinkOptions {
  /** The response content type (the request's). */
  readonly contentType: string;
  /** base64 body (`grpc-web-text`). */
  readonly text: boolean;
  /** The client accepts gzip messages (`grpc-accept-encoding`). */
  readonly gzip: boolean;
  readonly compressMinBytes: number;
}

/**
 * Answers a gRPC-Web call: HTTP 200, the response headers, each message as
 * a length-prefixed frame (flag 0x01 when gzip-compressed), and the status
 * with the trailers as the last frame (flag 0x80), `key: value` lines as in
 * HTTP/1.1. Binary trailers, the status details among them, are base64.
 */
export function createGrpcWebSink(response: ResponseLike, options: GrpcWebSinkOptions): ResponseSink {
  const head = createStreamHead(response, options.contentType, options.gzip ? "grpc-encoding" : undefined);
  const wire = (frame: Uint8Array): Uint8Array | string =>
    options.text ? Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("base64") : frame;
  return {
    head,
    message(bytes, headers) {
      head(headers);
      return response.write(wire(envelopeMessage(bytes, options.gzip, options.compressMinBytes)));
    },
    end(status, headers) {
      head(headers);
      response.end(wire(encodeEnvelope(trailerFlag, Buffer.from(trailerBlock(status), "latin1"))));
    },
  };
}

/** The trailer frame's text: the status, then every trailer (binary ones in base64). */
function trailerBlock(status: CallStatus): string {
  let block = `grpc-status: ${status.code}\r\n`;
  if (status.details !== "") {
    block += `grpc-message: ${percentEncode(status.details)}\r\n`;
  }
  for (const [key, values] of Object.entries(status.metadata?.toJSON() ?? {})) {
    if (!statusKeys.has(key)) {
      for (const value of values) {
        block += `${key}: ${metadataText(value)}\r\n`;
      }
    }
  }
  return block;
}

/** `grpc-message`'s encoding: UTF-8, with bytes outside printable ASCII and "%" percent-encoded. */
function percentEncode(message: string): string {
  let out = "";
  for (const byte of Buffer.from(message, "utf8")) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
