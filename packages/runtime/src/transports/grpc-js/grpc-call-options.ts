import type { CallOptions as GrpcCallOptions, Interceptor, Metadata } from "@grpc/grpc-js";
import { uncompressedCall } from "../../compression/compression.js";
import { wireDeadline } from "../../deadline/deadline.js";
import type { TransportCallOptions } from "../transport.js";

/**
 * The grpc-js options of one call: the deadline as grpc-js sends it
 * (`grpc-timeout`), per-call credentials, the client's grpc-js interceptors,
 * and the per-call compression and wait-for-ready switches.
 */
export function toGrpcCallOptions(options: TransportCallOptions, metadata: Metadata, interceptors: readonly Interceptor[] | undefined): GrpcCallOptions {
  const { callOptions } = options;
  const grpcOptions: GrpcCallOptions = {};
  const onWire = wireDeadline(options.deadlineMs, options.resolvedAtMs);
  if (onWire !== undefined) {
    grpcOptions.deadline = onWire;
  }
  if (callOptions.credentials !== undefined) {
    grpcOptions.credentials = callOptions.credentials;
  }
  if (interceptors !== undefined && interceptors.length > 0) {
    grpcOptions.interceptors = [...interceptors];
  }
  if (callOptions.compress === false) {
    grpcOptions.interceptors = [...(grpcOptions.interceptors ?? []), uncompressedCall];
  }
  if (callOptions.waitForReady !== undefined) {
    // grpc-js reads wait-for-ready from the metadata's options, its only per-call switch for it.
    metadata.setOptions({ ...metadata.getOptions(), waitForReady: callOptions.waitForReady });
  }
  return grpcOptions;
}
