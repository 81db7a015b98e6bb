import type { IncomingMessage } from "node:http";
import type { Metadata } from "../metadata.js";
import { headersToMetadata } from "../web-server/metadata-headers.js";

/** The prefix of request headers forwarded as metadata under the rest of their name, as grpc-gateway does. */
const metadataPrefix = "grpc-metadata-";

/** Headers forwarded as metadata under their own name by default: credentials and request ids. */
export const defaultForwardedHeaders: readonly string[] = ["authorization", "x-request-id"];

/**
 * The metadata a handler sees for an HTTP request: `Grpc-Metadata-<key>`
 * headers as `<key>` (binary `-bin` keys decoded from base64), and the
 * headers in `forwarded` (lower case) as they are. Nothing else crosses:
 * hop-by-hop and proxy headers are not the handler's business. Keys gRPC
 * reserves (`grpc-*`) and keys metadata cannot hold are dropped.
 */
export function requestMetadata(request: IncomingMessage, forwarded: ReadonlySet<string>): Metadata {
  return headersToMetadata(request.headersDistinct, (name) =>
    name.startsWith(metadataPrefix) ? name.slice(metadataPrefix.length) : forwarded.has(name) ? name : undefined,
  );
}
