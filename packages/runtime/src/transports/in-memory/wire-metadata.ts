import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import type { IncomingHttpHeaders } from "node:http2";
import type { Metadata } from "../../metadata.js";
import { toGrpcMetadata } from "../grpc-js/grpc-metadata.js";

/**
 * `metadata` as the peer would receive it over HTTP/2: turned into headers
 * by grpc-js, repeated headers joined with ", " as Node's HTTP/2 joins them
 * on receipt, and parsed back by grpc-js. So a test sees what a server or
 * client on the network would, e.g. two values of one key as one
 * "a, b" value, and binary values through base64.
 */
export function overTheWire(metadata: Metadata): GrpcMetadata {
  const received: IncomingHttpHeaders = {};
  for (const [key, value] of Object.entries(toGrpcMetadata(metadata).toHttp2Headers())) {
    if (value !== undefined) {
      received[key] = Array.isArray(value) ? value.join(", ") : String(value);
    }
  }
  return GrpcMetadata.fromHttp2Headers(received);
}
