import { statusName } from "./figures.js";
import type { RawOutcome } from "./raw-grpc.js";

/** HTTP/2 error codes (RFC 9113, section 7) by number. */
const rstNames = [
  "NO_ERROR",
  "PROTOCOL_ERROR",
  "INTERNAL_ERROR",
  "FLOW_CONTROL_ERROR",
  "SETTINGS_TIMEOUT",
  "STREAM_CLOSED",
  "FRAME_SIZE_ERROR",
  "REFUSED_STREAM",
  "CANCEL",
  "COMPRESSION_ERROR",
  "CONNECT_ERROR",
  "ENHANCE_YOUR_CALM",
  "INADEQUATE_SECURITY",
  "HTTP_1_1_REQUIRED",
];

/**
 * How a raw call ended, as one label: the gRPC status name ("OK",
 * "INTERNAL"), else "HTTP <status>" for a response without grpc-status,
 * else "RST_STREAM <code>" for a reset stream, else "connection error".
 * Accepted outcomes are written with these labels; "RST_STREAM" alone
 * accepts a reset with any code.
 */
export function outcomeLabel(outcome: RawOutcome): string {
  if (outcome.grpcStatus !== undefined) return statusName(outcome.grpcStatus);
  if (outcome.httpStatus !== undefined && outcome.httpStatus !== 200) return `HTTP ${outcome.httpStatus}`;
  if (outcome.rstCode !== 0) return `RST_STREAM ${rstNames[outcome.rstCode] ?? outcome.rstCode}`;
  return outcome.error === undefined ? "no status" : "connection error";
}

/** Whether `label` is one of `accepted` ("RST_STREAM" matches every reset). */
export function isAccepted(label: string, accepted: readonly string[]): boolean {
  return accepted.includes(label) || (label.startsWith("RST_STREAM ") && accepted.includes("RST_STREAM"));
}
