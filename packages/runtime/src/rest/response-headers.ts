import { base64Encode } from "@bufbuild/protobuf/wire";
import type { Metadata, MetadataValue } from "../metadata.js";
import type { OutgoingHttpHeaders } from "node:http";
import { statusDetailsKey } from "../status/status-details.js";

/**
 * Response headers for a handler's response headers and trailers, as
 * grpc-gateway writes them: `Grpc-Metadata-<key>` and `Grpc-Trailer-<key>`,
 * binary values in base64. The status details trailer is left out: the
 * body carries it as the error's `details`.
 */
export function metadataHeaders(headers: Metadata | undefined, trailers: Metadata | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  addAll(out, "grpc-metadata-", headers);
  addAll(out, "grpc-trailer-", trailers);
  return out;
}

function addAll(out: OutgoingHttpHeaders, prefix: string, metadata: Metadata | undefined): void {
  if (metadata === undefined) {
    return;
  }
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    if (key === statusDetailsKey || values.length === 0) {
      continue;
    }
    out[`${prefix}${key}`] = values.map(headerValue);
  }
}

function headerValue(value: MetadataValue): string {
  return typeof value === "string" ? value : base64Encode(value);
}
