import type { IncomingMessage } from "node:http";
import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import { parseGrpcTimeoutMs } from "../web-server/grpc-timeout.js";

/**
 * The absolute deadline (epoch ms, `Infinity` for none) an HTTP request asks
 * for: `Grpc-Timeout` as in gRPC (`100m`, `5S`), or `X-Server-Timeout` in
 * seconds (`2.5`), the header Google's API front ends read; with both, the
 * earlier wins. A malformed value fails with INVALID_ARGUMENT.
 */
export function requestDeadline(request: IncomingMessage, now: number): number {
  let deadline = Infinity;
  const grpcTimeout = header(request, "grpc-timeout");
  if (grpcTimeout !== undefined) {
    deadline = now + parseGrpcTimeoutMs(grpcTimeout);
  }
  const serverTimeout = header(request, "x-server-timeout");
  if (serverTimeout !== undefined) {
    const seconds = /^\d+(\.\d+)?$/.test(serverTimeout) ? Number(serverTimeout) : Number.NaN;
    if (!Number.isFinite(seconds)) {
      throw new RpcError(Code.INVALID_ARGUMENT, `invalid X-Server-Timeout header "${serverTimeout}": expected seconds, e.g. 2.5`);
    }
    deadline = Math.min(deadline, now + seconds * 1000);
  }
  return deadline;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
