import { constants as bufferConstants } from "node:buffer";
import { gunzipSync, gzipSync } from "node:zlib";
import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";

/** The message encodings the web protocols accept besides `identity`. */
const supportedEncodings = "gzip";

/** True when an `Accept-Encoding`-style list (`gzip, br;q=0.5`) names gzip. */
export function acceptsGzip(header: string | undefined): boolean {
  return (
    header?.split(",").some((item) => {
      const [name, ...parameters] = item.split(";").map((part) => part.trim().toLowerCase());
      return name === "gzip" && !parameters.includes("q=0");
    }) ?? false
  );
}

/**
 * Checks a request's message encoding (`undefined` or `identity` for none):
 * an encoding the server does not speak fails with UNIMPLEMENTED, as the
 * gRPC and Connect protocols ask.
 */
export function checkEncoding(encoding: string | undefined, header: string): boolean {
  const name = encoding?.trim().toLowerCase();
  if (name === undefined || name === "" || name === "identity") {
    return false;
  }
  if (name === "gzip") {
    return true;
  }
  throw new RpcError(Code.UNIMPLEMENTED, `unsupported ${header} "${encoding}"; supported: ${supportedEncodings}, identity`);
}

/**
 * Decompresses a gzip message, refusing to produce more than `limitBytes`:
 * RESOURCE_EXHAUSTED then (a small body must not inflate past the limit),
 * INVALID_ARGUMENT for data that is not gzip.
 */
export function gunzipMessage(bytes: Uint8Array, limitBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(1, Math.min(limitBytes, bufferConstants.MAX_LENGTH)) });
  } catch (error) {
    if (error instanceof RangeError) {
      throw tooLarge("request", limitBytes);
    }
    throw new RpcError(Code.INVALID_ARGUMENT, `the request message is not valid gzip: ${(error as Error).message}`);
  }
}

/** Compresses one message. */
export function gzipMessage(bytes: Uint8Array): Buffer {
  return gzipSync(bytes);
}

/** The error for a message over a size limit, in gRPC's words. */
export function tooLarge(what: "request" | "response", limitBytes: number, sizeBytes?: number): RpcError {
  const size = sizeBytes === undefined ? "" : ` (${sizeBytes} bytes)`;
  return new RpcError(Code.RESOURCE_EXHAUSTED, `the ${what} message${size} is larger than the limit of ${limitBytes} bytes`);
}
