import { Code } from "../code.js";
import { RetryInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { RpcError } from "../rpc-error.js";

/**
 * True when a failed call may be retried as it is (with backoff):
 * - UNAVAILABLE, the code for transient conditions (connection refused or
 *   reset, server shutting down, overloaded proxy);
 * - any RpcError whose server attached a google.rpc.RetryInfo detail, its
 *   explicit "try again after" (e.g. RESOURCE_EXHAUSTED for a rate limit).
 *
 * Accepts an error (anything thrown) or a code. Retrying is still only safe
 * for idempotent methods, since the first attempt may have had effects.
 * ABORTED is not included: it asks to retry at a higher level (e.g. restart
 * a read-modify-write), not to repeat the same call.
 */
export function isRetryable(errorOrCode: unknown): boolean {
  if (typeof errorOrCode === "number") {
    return errorOrCode === Code.UNAVAILABLE;
  }
  if (!(errorOrCode instanceof RpcError)) {
    return false;
  }
  return errorOrCode.code === Code.UNAVAILABLE || retryDelayMs(errorOrCode) !== undefined;
}

/**
 * The delay, in milliseconds, the server asked the client to wait before
 * retrying (google.rpc.RetryInfo), or `undefined` when it gave none.
 */
export function retryDelayMs(error: RpcError): number | undefined {
  const [info] = error.findDetails(RetryInfoSchema);
  if (info === undefined) {
    return undefined;
  }
  const delay = info.retryDelay;
  return delay === undefined ? 0 : Math.max(0, Number(delay.seconds) * 1000 + Math.floor(delay.nanos / 1_000_000));
}
