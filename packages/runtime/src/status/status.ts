import type { Registry } from "@bufbuild/protobuf";
import { Code, isCode } from "../code.js";
import { isMetadata, type Metadata } from "../metadata.js";
import type { CallStatusError } from "../transports/transport.js";
import { markReceived, RpcError } from "../rpc-error.js";
import { decodeStatusDetails } from "./status-details.js";

/**
 * Converts the error grpc-js reports for a failed client call into an
 * {@link RpcError}, keeping the status message exactly as the server sent it
 * and decoding the details of `grpc-status-details-bin`.
 */
export function rpcErrorFromServiceError(error: CallStatusError, headers?: Metadata, detailsRegistry?: Registry): RpcError {
  return rpcErrorFromStatus(error, headers, error, detailsRegistry);
}

/**
 * Converts a grpc-js status that is not OK, as received from a peer, into an
 * {@link RpcError}. Details come from the google.rpc.Status in the
 * `grpc-status-details-bin` trailer (which stays in `metadata` too); they are
 * taken only when that Status carries the same code as the call, since
 * `grpc-status` and `grpc-message` are authoritative. Codes outside the 17
 * known ones become UNKNOWN.
 */
export function rpcErrorFromStatus(
  status: { readonly code: number; readonly details: string } & { metadata?: Metadata | null },
  headers?: Metadata,
  cause?: unknown,
  detailsRegistry?: Registry,
): RpcError {
  const code = isCode(status.code) ? status.code : Code.UNKNOWN;
  const rich = decodeStatusDetails(status.metadata);
  const error = new RpcError(code, status.details, {
    metadata: status.metadata ?? undefined,
    headers,
    cause,
    details: rich !== undefined && rich.code === status.code ? rich.details : undefined,
    detailsRegistry,
  });
  return markReceived(error);
}

/**
 * True for an error a transport (grpc-js, say) produced for a call: it carries a numeric
 * `code`, a `details` string and `metadata`.
 */
export function isServiceError(value: unknown): value is CallStatusError {
  return (
    value instanceof Error &&
    typeof (value as Partial<CallStatusError>).code === "number" &&
    typeof (value as Partial<CallStatusError>).details === "string" &&
    isMetadata((value as Partial<CallStatusError>).metadata)
  );
}
