import { Metadata, type ServiceError, type StatusObject } from "@grpc/grpc-js";
import { Code, isCode } from "./code.js";
import { RpcError } from "./rpc-error.js";

/**
 * Converts the error grpc-js reports for a failed client call into an
 * {@link RpcError}, keeping the status message exactly as the server sent it.
 */
export function rpcErrorFromServiceError(error: ServiceError, headers?: Metadata): RpcError {
  return rpcErrorFromStatus(error, headers, error);
}

/**
 * Converts a grpc-js status that is not OK into an {@link RpcError}.
 */
export function rpcErrorFromStatus(
  status: Pick<StatusObject, "code" | "details"> & { metadata?: Metadata | null },
  headers?: Metadata,
  cause?: unknown,
): RpcError {
  const code = isCode(status.code) ? status.code : Code.UNKNOWN;
  return new RpcError(code, status.details, {
    metadata: status.metadata ?? undefined,
    headers,
    cause,
  });
}

/**
 * True for an error that grpc-js produced for a call: it carries a numeric
 * `code`, a `details` string and `metadata`.
 */
export function isServiceError(value: unknown): value is ServiceError {
  return (
    value instanceof Error &&
    typeof (value as Partial<ServiceError>).code === "number" &&
    typeof (value as Partial<ServiceError>).details === "string" &&
    (value as Partial<ServiceError>).metadata instanceof Metadata
  );
}
