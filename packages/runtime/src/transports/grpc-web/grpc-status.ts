import { Code } from "../../code.js";
import type { Metadata } from "../../metadata.js";
import type { CallStatus } from "../transport.js";

/**
 * The status in gRPC trailers (or in the headers of a trailers-only
 * response): `grpc-status`, and `grpc-message` percent-decoded. Without a
 * valid `grpc-status` the call failed in some way the server did not say:
 * UNKNOWN.
 */
export function grpcStatus(get: (name: string) => string | null | undefined, trailers: Metadata): CallStatus {
  const status = get("grpc-status");
  const message = get("grpc-message") ?? "";
  if (status === null || status === undefined || !/^\d+$/.test(status.trim())) {
    return { code: Code.UNKNOWN, details: status == null ? "No status received" : `Invalid grpc-status "${status}"`, metadata: trailers };
  }
  return { code: Number(status), details: percentDecode(message), metadata: trailers };
}

/** The gRPC timeout header value of `timeoutMs`: at most 8 digits, in the finest unit that fits. */
export function grpcTimeout(timeoutMs: number): string | undefined {
  const units: readonly (readonly [string, number])[] = [
    ["m", 1],
    ["S", 1_000],
    ["M", 60_000],
    ["H", 3_600_000],
  ];
  for (const [unit, unitMs] of units) {
    const value = Math.ceil(timeoutMs / unitMs);
    if (value < 100_000_000) {
      return `${value}${unit}`;
    }
  }
  return undefined;
}

/** `grpc-message` is percent-encoded UTF-8; a malformed one is kept as it came. */
function percentDecode(message: string): string {
  try {
    return decodeURIComponent(message);
  } catch {
    return message;
  }
}
