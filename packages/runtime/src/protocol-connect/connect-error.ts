import type { OutgoingHttpHeaders } from "node:http";
import type { Metadata } from "../metadata.js";
import { anyTypeName, decodeStatusDetails, statusDetailsKey } from "../status/status-details.js";
import { addMetadataHeaders } from "../web-server/metadata-headers.js";
import type { CallStatus } from "../web-server/web-call.js";
import { connectCodeName } from "./connect-code.js";

/** A detail of a Connect error: the message's type name and its bytes in unpadded base64. */
interface ConnectErrorDetail {
  readonly type: string;
  readonly value: string;
}

/** The Connect protocol's error body. */
export interface ConnectErrorJson {
  readonly code: string;
  readonly message?: string;
  readonly details?: readonly ConnectErrorDetail[];
}

/** Trailers the error body carries itself. */
const statusKeys: ReadonlySet<string> = new Set([statusDetailsKey, "grpc-status", "grpc-message"]);

/**
 * The Connect error JSON of a failed status: its code's name, its message,
 * and each google.rpc.Status detail the dispatcher wrote to the status
 * details trailer as `{type, value}`.
 */
export function connectErrorJson(status: CallStatus): ConnectErrorJson {
  const details = (decodeStatusDetails(status.metadata)?.details ?? []).map((detail) => ({
    type: anyTypeName(detail),
    value: Buffer.from(detail.value).toString("base64").replace(/=+$/, ""),
  }));
  return {
    code: connectCodeName(status.code),
    ...(status.details === "" ? {} : { message: status.details }),
    ...(details.length === 0 ? {} : { details }),
  };
}

/** Adds trailers as Connect unary responses carry them: `trailer-<key>` headers, without the status's own keys. */
export function addTrailerHeaders(out: OutgoingHttpHeaders, trailers: Metadata | undefined): void {
  addMetadataHeaders(out, "trailer-", trailers, statusKeys);
}

/** Trailers as a Connect end-stream message's `metadata`: key to values, binary ones in base64. */
export function trailerObject(trailers: Metadata | undefined): Record<string, string[]> {
  const out: OutgoingHttpHeaders = {};
  addMetadataHeaders(out, "", trailers, statusKeys);
  return out as Record<string, string[]>;
}
