import { create, toBinary } from "@bufbuild/protobuf";
import { base64Decode } from "@bufbuild/protobuf/wire";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import { Code } from "../../code.js";
import { codeFromConnectName } from "../../protocol-connect/connect-code.js";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";
import { createMetadata, type Metadata } from "../../metadata.js";
import { codeFromHttpStatus } from "../../status/http-status.js";
import { statusDetailsKey } from "../../status/status-details.js";
import type { CallStatus } from "../transport.js";
import { addValue, addValues } from "../fetch/http-headers.js";

/** The Connect error body: `{"code": "not_found", "message": "...", "details": [{"type": "...", "value": "<base64>"}]}`. */
interface ConnectErrorJson {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly details?: unknown;
}

/**
 * The status of a Connect error: its code by name (Connect spells
 * CANCELLED "canceled"; a name it does not define is UNKNOWN), its message,
 * and `trailers`. The details become a google.rpc.Status in the
 * `grpc-status-details-bin` trailer, where the client core reads them for
 * every transport. Without a code, the HTTP status decides, as the Connect
 * protocol says.
 */
export function connectErrorStatus(error: ConnectErrorJson, trailers: Metadata, httpStatus = 200): CallStatus {
  const code = typeof error.code === "string" ? codeFromConnectName(error.code) : codeFromHttpStatus(httpStatus);
  const message = typeof error.message === "string" ? error.message : "";
  const details = Array.isArray(error.details) ? error.details.flatMap(toAny) : [];
  if (details.length > 0) {
    addValue(trailers, statusDetailsKey, toBinary(StatusSchema, create(StatusSchema, { code, message, details })));
  }
  return { code, details: message, metadata: trailers };
}

/**
 * The status at the end of a Connect stream (its end-stream message):
 * `{"error": {...}, "metadata": {"key": ["value"]}}`, OK without an error.
 */
export function connectEndStatus(json: unknown): CallStatus {
  const end = (typeof json === "object" && json !== null ? json : {}) as { error?: unknown; metadata?: unknown };
  const trailers = createMetadata();
  if (typeof end.metadata === "object" && end.metadata !== null) {
    for (const [key, values] of Object.entries(end.metadata)) {
      for (const value of Array.isArray(values) ? values : [values]) {
        addValues(trailers, key.toLowerCase(), String(value));
      }
    }
  }
  if (typeof end.error === "object" && end.error !== null) {
    return connectErrorStatus(end.error, trailers);
  }
  return { code: Code.OK, details: "", metadata: trailers };
}

/** One Connect error detail (`{"type": "google.rpc.ErrorInfo", "value": "<base64>"}`) as an Any; none for a malformed one. */
function toAny(detail: unknown) {
  const { type, value } = (typeof detail === "object" && detail !== null ? detail : {}) as { type?: unknown; value?: unknown };
  if (typeof type !== "string" || typeof value !== "string") {
    return [];
  }
  try {
    return [create(AnySchema, { typeUrl: `type.googleapis.com/${type}`, value: base64Decode(value) })];
  } catch {
    return [];
  }
}
