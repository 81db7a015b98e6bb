import { create, createRegistry, fromBinary, toBinary, type DescMessage, type Registry } from "@bufbuild/protobuf";
import type { Metadata } from "../metadata.js";
import type { Any } from "@bufbuild/protobuf/wkt";
import { file_google_rpc_error_details } from "../gen/google/rpc/error_details_pb.js";
import { StatusSchema, type Status } from "../gen/google/rpc/status_pb.js";

/** The trailer that carries a serialized google.rpc.Status with the error details. */
export const statusDetailsKey = "grpc-status-details-bin";

/**
 * The schemas every RpcError knows without being told: the standard error
 * details of google/rpc/error_details.proto (ErrorInfo, RetryInfo, DebugInfo,
 * QuotaFailure, PreconditionFailure, BadRequest, RequestInfo, ResourceInfo,
 * Help, LocalizedMessage and their nested messages).
 */
export const standardDetailsRegistry: Registry = createRegistry(file_google_rpc_error_details);

/**
 * Finds the schema of a detail type: first in the caller's registry, then
 * among the standard error details.
 */
export function lookupDetailSchema(typeName: string, registry: Registry | undefined): DescMessage | undefined {
  return registry?.getMessage(typeName) ?? standardDetailsRegistry.getMessage(typeName);
}

/** The message type an Any holds: the part of its type URL after the last "/". */
export function anyTypeName(any: Any): string {
  return any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1);
}

/**
 * Serializes a google.rpc.Status for the `grpc-status-details-bin` trailer.
 * Its code and message must equal the call's `grpc-status` and `grpc-message`,
 * as the gRPC spec requires.
 */
export function encodeStatusDetails(code: number, message: string, details: readonly Any[]): Buffer {
  const bytes = toBinary(StatusSchema, create(StatusSchema, { code, message, details: [...details] }));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads the google.rpc.Status from a `grpc-status-details-bin` trailer, or
 * `undefined` when there is none or it does not parse (a malformed trailer
 * must not turn one failure into another).
 */
export function decodeStatusDetails(trailers: Metadata | null | undefined): Status | undefined {
  const value = trailers?.get(statusDetailsKey)[0];
  if (value === undefined || typeof value === "string") {
    return undefined;
  }
  try {
    return fromBinary(StatusSchema, value);
  } catch {
    return undefined;
  }
}
