import { Metadata } from "@grpc/grpc-js";
import type { IncomingMessage } from "node:http";

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
  const metadata = new Metadata();
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    const key = name.startsWith(metadataPrefix) ? name.slice(metadataPrefix.length) : forwarded.has(name) ? name : undefined;
    if (key === undefined || key.startsWith("grpc-") || values === undefined) {
      continue;
    }
    for (const value of values) {
      addValue(metadata, key, value);
    }
  }
  return metadata;
}

function addValue(metadata: Metadata, key: string, value: string): void {
  try {
    metadata.add(key, key.endsWith("-bin") ? Buffer.from(value, "base64") : value);
  } catch {
    // grpc-js refuses keys metadata cannot carry (e.g. with "/"): such a header is not metadata.
  }
}
