import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";

/** Milliseconds per unit of a `grpc-timeout` value (Hours, Minutes, Seconds, milli, micro, nano). */
const unitMs: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000_001 };

/**
 * The milliseconds a `grpc-timeout` header value asks for (`100m`, `5S`), as
 * gRPC and gRPC-Web send it. A malformed value fails with INVALID_ARGUMENT.
 */
export function parseGrpcTimeoutMs(value: string): number {
  const match = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (match === null) {
    throw new RpcError(Code.INVALID_ARGUMENT, `invalid Grpc-Timeout header "${value}": expected 1 to 8 digits and a unit (H, M, S, m, u or n)`);
  }
  return Number(match[1]) * (unitMs[match[2] as string] as number);
}
