import type { OutgoingHttpHeaders } from "node:http";
import type { Metadata } from "../metadata.js";
import { compressedFlag, encodeEnvelope } from "../protocol-envelope/envelope.js";
import { gzipMessage } from "./compression.js";
import type { ResponseLike } from "./http-exchange.js";
import { addMetadataHeaders } from "./metadata-headers.js";

/**
 * The head of a streamed answer, written once: 200, the handler's headers,
 * the content type and, when messages may be gzip-compressed, `encodingHeader: gzip`.
 * Both web protocols stream the same way; they differ only in that header's name.
 */
export function createStreamHead(response: ResponseLike, contentType: string, encodingHeader: string | undefined): (headers: Metadata | undefined) => void {
  let headSent = false;
  return (headers) => {
    if (headSent) {
      return;
    }
    headSent = true;
    const out: OutgoingHttpHeaders = {};
    addMetadataHeaders(out, "", headers);
    out["content-type"] = contentType;
    if (encodingHeader !== undefined) {
      out[encodingHeader] = "gzip";
    }
    response.writeHead(200, out);
  };
}

/** One response message in an envelope, gzip-compressed (flag 0x01) when allowed and at least `compressMinBytes` long. */
export function envelopeMessage(bytes: Uint8Array, gzip: boolean, compressMinBytes: number): Uint8Array {
  const compress = gzip && bytes.byteLength >= compressMinBytes;
  return encodeEnvelope(compress ? compressedFlag : 0, compress ? gzipMessage(bytes) : bytes);
}
