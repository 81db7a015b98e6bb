import type { OutgoingHttpHeaders } from "node:http";
import type { Metadata } from "../metadata.js";
import { statusDetailsKey } from "../status/status-details.js";
import { addMetadataHeaders } from "../web-server/metadata-headers.js";

/** The body carries the status details as the error's `details`. */
const skipped: ReadonlySet<string> = new Set([statusDetailsKey]);

/**
 * Response headers for a handler's response headers and trailers, as
 * grpc-gateway writes them: `Grpc-Metadata-<key>` and `Grpc-Trailer-<key>`,
 * binary values in base64. The status details trailer is left out: the
 * body carries it as the error's `details`.
 */
export function metadataHeaders(headers: Metadata | undefined, trailers: Metadata | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  addMetadataHeaders(out, "grpc-metadata-", headers, skipped);
  addMetadataHeaders(out, "grpc-trailer-", trailers, skipped);
  return out;
}
