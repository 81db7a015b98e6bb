import type { Registry } from "@bufbuild/protobuf";
import type { Metadata } from "../metadata.js";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { codeToHttpStatus } from "../status/http-status.js";
import { statusJson } from "./status-json.js";

/** Sends `body` as a complete JSON response. */
export function sendJson(response: ServerResponse, httpStatus: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(httpStatus, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** A failed call's status, as the dispatcher ends a call with it. */
export interface FailedStatus {
  readonly code: number;
  readonly details: string;
  /** The trailers, the status details among them. */
  readonly metadata?: Metadata | undefined;
}

/**
 * Sends a failed status as the JSON form of google.rpc.Status, with the HTTP
 * status of its code (google/rpc/code.proto's mapping) unless `httpStatus`
 * says otherwise (404 and 405 for routes, 413 for a body too large).
 */
export function sendStatus(
  response: ServerResponse,
  status: FailedStatus,
  registry: Registry,
  headers: OutgoingHttpHeaders = {},
  httpStatus = codeToHttpStatus(status.code),
): void {
  sendJson(response, httpStatus, statusJson(status.code, status.details, status.metadata, registry), headers);
}
