import type { Metadata } from "../metadata.js";
import type { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";

/**
 * The error a call fails with when the caller's own code or input fails it
 * (`what` names the part, e.g. "Request stream"): an RpcError thrown there as
 * it is, anything else as `code` with the original as its cause.
 */
export function callerError(what: string, error: unknown, code: Code, headers?: Metadata): RpcError {
  if (error instanceof RpcError) {
    return error;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new RpcError(code, `${what} failed: ${detail}`, { cause: error, headers });
}
