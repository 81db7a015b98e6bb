import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";
import { createMetadata, type Metadata } from "../../metadata.js";

/**
 * Response headers that belong to HTTP or to the protocol rather than to the
 * application, so they are not metadata. `grpc-status-details-bin` is not
 * among them: the client core reads the error details from it.
 */
const reservedHeaders = new Set([
  "connection",
  "content-encoding",
  "content-length",
  "content-type",
  "date",
  "keep-alive",
  "server",
  "trailer",
  "transfer-encoding",
  "vary",
  "grpc-accept-encoding",
  "grpc-encoding",
  "grpc-message",
  "grpc-status",
  "connect-accept-encoding",
  "connect-content-encoding",
]);

/**
 * Adds the request metadata to `headers`: text values as they are, binary
 * (`-bin`) values in unpadded base64, one header line per value.
 */
export function appendMetadata(headers: Headers, metadata: Metadata): void {
  for (const [key, values] of Object.entries(metadata.toJSON() as Record<string, readonly (string | Uint8Array)[]>)) {
    for (const value of values) {
      headers.append(key, typeof value === "string" ? value : base64Encode(value, "std_raw"));
    }
  }
}

/**
 * Converts received header lines to metadata, leaving out HTTP's and the
 * protocol's own (and access-control headers of CORS). Binary (`-bin`)
 * values are base64-decoded; a list of them (`a, b`, as fetch joins repeated
 * headers) gives one value each. An entry metadata cannot hold (an illegal
 * key or value) is skipped rather than failing the call.
 */
export function metadataFromEntries(entries: Iterable<readonly [string, string]>, prefix = ""): Metadata {
  const metadata = createMetadata();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!lower.startsWith(prefix)) {
      continue;
    }
    const key = lower.slice(prefix.length);
    if (reservedHeaders.has(key) || key.startsWith("access-control-") || (prefix === "" && key.startsWith("trailer-"))) {
      continue;
    }
    addValues(metadata, key, value);
  }
  return metadata;
}

/** Adds one header's value to `metadata` under `key`. */
export function addValues(metadata: Metadata, key: string, value: string): void {
  if (key.endsWith("-bin")) {
    for (const item of value.split(",")) {
      addValue(metadata, key, base64Decode(item.trim()));
    }
  } else {
    addValue(metadata, key, value);
  }
}

/**
 * Adds one value to `metadata`. A header that metadata refuses (an illegal
 * key or value) is the server's business, not a reason to fail the call, so
 * it is left out.
 */
export function addValue(metadata: Metadata, key: string, value: string | Uint8Array): void {
  try {
    metadata.add(key, value as never);
  } catch {
    // Left out, as documented.
  }
}
