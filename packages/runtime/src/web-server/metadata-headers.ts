import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { createMetadata, type Metadata } from "../metadata.js";

/**
 * Adds each entry of `metadata` to `out` as the header `<prefix><key>`,
 * binary (`-bin`) values in base64, leaving out the keys in `skip`.
 */
export function addMetadataHeaders(out: OutgoingHttpHeaders, prefix: string, metadata: Metadata | undefined, skip: ReadonlySet<string> = noKeys): void {
  if (metadata === undefined) {
    return;
  }
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    if (skip.has(key) || values.length === 0) {
      continue;
    }
    out[`${prefix}${key}`] = values.map(metadataText);
  }
}

const noKeys: ReadonlySet<string> = new Set();

/** A metadata value as header text: binary values in base64. */
export function metadataText(value: string | Uint8Array): string {
  return typeof value === "string" ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
}

/**
 * The metadata a handler sees for HTTP request headers: each header that
 * `keyOf` maps to a key (or `undefined` to leave it out), binary `-bin` keys
 * decoded from base64. Keys gRPC reserves (`grpc-*`) and keys metadata
 * cannot hold are dropped.
 */
export function headersToMetadata(headers: IncomingHttpHeaders, keyOf: (name: string) => string | undefined): Metadata {
  const metadata = createMetadata();
  for (const [name, value] of Object.entries(headers)) {
    const key = keyOf(name);
    if (key === undefined || key.startsWith("grpc-") || key.startsWith(":") || value === undefined) {
      continue;
    }
    for (const text of Array.isArray(value) ? value : [value]) {
      try {
        metadata.add(key, key.endsWith("-bin") ? Buffer.from(text, "base64") : text);
      } catch {
        // Metadata refuses keys it cannot carry (e.g. with "/"): such a header is not metadata.
      }
    }
  }
  return metadata;
}

/** Request headers that describe the HTTP exchange or the protocol, not the call: never metadata. */
const protocolHeaders: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "content-type",
  "content-length",
  "content-encoding",
  "accept",
  "accept-encoding",
  "x-grpc-web",
]);

/**
 * The metadata key of a gRPC-Web or Connect request header: every header
 * is metadata, as over gRPC, except the protocol's own (`connect-*`,
 * `grpc-*`, content negotiation, hop-by-hop and CORS headers).
 */
export function webMetadataKey(name: string): string | undefined {
  return protocolHeaders.has(name) || name.startsWith("connect-") || name.startsWith("access-control-") ? undefined : name;
}
