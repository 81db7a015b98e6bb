import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import type { Metadata } from "../../metadata.js";

/**
 * The grpc-js `Metadata` grpc-js needs for a call: `metadata` itself when it
 * is one, else a copy (grpc-js tells its arguments apart by class).
 */
export function toGrpcMetadata(metadata: Metadata): GrpcMetadata {
  if (metadata instanceof GrpcMetadata) {
    return metadata;
  }
  const grpcMetadata = new GrpcMetadata();
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    for (const value of values) {
      grpcMetadata.add(key, value as string | Buffer);
    }
  }
  return grpcMetadata;
}
