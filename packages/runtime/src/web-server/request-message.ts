import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import { gunzipMessage, tooLarge } from "./compression.js";
import { compressedFlag, parseEnvelopes } from "../protocol-envelope/envelope.js";

/** A message as sent whole (a Connect unary body or GET parameter): decompressed when the request says so. */
export function plainMessage(body: Uint8Array, compressed: boolean, limitBytes: number): Uint8Array {
  if (compressed) {
    return gunzipMessage(body, limitBytes);
  }
  if (body.byteLength > limitBytes) {
    throw tooLarge("request", limitBytes, body.byteLength);
  }
  return body;
}

/**
 * The one message of a framed body (gRPC-Web, Connect streaming): exactly one
 * data frame, decompressed when flagged, which needs the request's
 * `encodingHeader` to have named an encoding.
 */
export function singleFramedMessage(body: Uint8Array, compressed: boolean, limitBytes: number, encodingHeader: string): Uint8Array {
  const frames = parseEnvelopes(body);
  if (frames.length !== 1) {
    throw new RpcError(Code.INVALID_ARGUMENT, `expected one request message, got ${frames.length}`);
  }
  const { flags, payload } = frames[0] as (typeof frames)[number];
  if ((flags & ~compressedFlag) !== 0) {
    throw new RpcError(Code.INVALID_ARGUMENT, `unexpected flags 0x${flags.toString(16)} on the request message`);
  }
  if ((flags & compressedFlag) !== 0 && !compressed) {
    throw new RpcError(Code.INTERNAL, `a compressed request message without a ${encodingHeader} header`);
  }
  return plainMessage(payload, (flags & compressedFlag) !== 0, limitBytes);
}
