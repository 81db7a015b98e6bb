import type { OutgoingHttpHeaders } from "node:http";
import { Code } from "../code.js";
import { codeToHttpStatus } from "../status/http-status.js";
import { gzipMessage } from "../web-server/compression.js";
import { encodeEnvelope } from "../protocol-envelope/envelope.js";
import type { ResponseLike } from "../web-server/http-exchange.js";
import { addMetadataHeaders } from "../web-server/metadata-headers.js";
import { createStreamHead, envelopeMessage } from "../web-server/stream-sink.js";
import type { CallStatus, ResponseSink } from "../web-server/web-call.js";
import { addTrailerHeaders, connectErrorJson, trailerObject } from "./connect-error.js";

/** The flag of a Connect stream's last envelope, the end-stream message. */
const endStreamFlag = 0x02;

/** How a Connect response is written. */
export interface ConnectSinkOptions {
  readonly contentType: string;
  /** The client accepts gzip (`Accept-Encoding`, or `Connect-Accept-Encoding` for streams). */
  readonly gzip: boolean;
  readonly compressMinBytes: number;
}

/**
 * Answers a Connect unary call: on success, 200 with the message as the
 * body (gzip `Content-Encoding` when accepted and worth it), the headers,
 * and the trailers as `trailer-<key>` headers; on failure, the HTTP status
 * of the code and the Connect error JSON.
 */
export function createConnectUnarySink(response: ResponseLike, options: ConnectSinkOptions): ResponseSink {
  let body: Uint8Array | undefined;
  return {
    head() {
      // A unary response's head waits for its body.
    },
    message(bytes) {
      body = bytes;
      return true;
    },
    end(status, headers) {
      const out: OutgoingHttpHeaders = {};
      addMetadataHeaders(out, "", headers);
      addTrailerHeaders(out, status.metadata);
      let payload: Uint8Array;
      if (status.code === Code.OK && body !== undefined) {
        payload = body;
        out["content-type"] = options.contentType;
        if (options.gzip && body.byteLength >= options.compressMinBytes) {
          payload = gzipMessage(body);
          out["content-encoding"] = "gzip";
        }
      } else {
        const failure = status.code === Code.OK ? { code: Code.INTERNAL, details: "the handler sent no response message" } : status;
        payload = Buffer.from(JSON.stringify(connectErrorJson(failure)), "utf8");
        out["content-type"] = "application/json";
      }
      out["content-length"] = payload.byteLength;
      response.writeHead(status.code === Code.OK && body !== undefined ? 200 : codeToHttpStatus(status.code), out);
      response.end(payload);
    },
  };
}

/**
 * Answers a Connect streaming call: 200, the headers, each message in an
 * envelope (flag 0x01 when gzip-compressed), and an end-stream envelope
 * (flag 0x02) whose JSON carries the error, if any, and the trailers.
 */
export function createConnectStreamSink(response: ResponseLike, options: ConnectSinkOptions): ResponseSink {
  const head = createStreamHead(response, options.contentType, options.gzip ? "connect-content-encoding" : undefined);
  return {
    head,
    message(bytes, headers) {
      head(headers);
      return response.write(envelopeMessage(bytes, options.gzip, options.compressMinBytes));
    },
    end(status: CallStatus, headers) {
      head(headers);
      const endStream = {
        ...(status.code === Code.OK ? {} : { error: connectErrorJson(status) }),
        metadata: trailerObject(status.metadata),
      };
      response.end(encodeEnvelope(endStreamFlag, Buffer.from(JSON.stringify(endStream), "utf8")));
    },
  };
}
