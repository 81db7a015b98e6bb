import { create } from "@bufbuild/protobuf";
import type { ServerErrorResponse } from "@grpc/grpc-js";
import { mergeMetadata, type Metadata } from "../metadata.js";
import { toGrpcMetadata } from "../transports/grpc-js/grpc-metadata.js";
import { Code } from "../code.js";
import type { MethodInfo } from "../method-info.js";
import { DebugInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { isReceived, RpcError } from "../rpc-error.js";
import { encodeStatusDetails, statusDetailsKey } from "../status/status-details.js";
import { UnsendableResponseError } from "./response-encoder.js";

/**
 * Called with every error a handler raised that is not an RpcError, every
 * response that could not be sent (an `UnsendableResponseError`), and every
 * throw of an interceptor's outcome listener.
 */
export type ServerErrorHook = (error: unknown, info: { readonly method: MethodInfo }) => void;

/** How a server turns handler failures into statuses. */
export interface ErrorPolicy {
  /** Receives unexpected errors (see {@link ServerErrorHook}); logs to stderr by default. */
  readonly onError: ServerErrorHook;
  /**
   * Send unexpected errors to clients (default false: a generic message):
   * the message, and the stack in a google.rpc.DebugInfo detail.
   */
  readonly exposeInternalErrors: boolean;
}

/** The message clients get for an unexpected error. */
const internalErrorMessage = "Internal server error";

/**
 * Trailer keys a status never takes from metadata: grpc-js writes
 * `grpc-status` and `grpc-message` itself (a metadata entry would override
 * them), the details trailer is always derived from the error's details, and
 * `content-type` belongs to the response headers.
 */
const reservedTrailers = ["grpc-status", "grpc-message", statusDetailsKey, "content-type"];

/**
 * Maps whatever a handler threw or rejected with to the status the client
 * receives:
 * - an RpcError keeps its code, message, details and metadata; one that was
 *   received from a downstream call and rethrown keeps only its code and
 *   message (its trailers, headers and details belong to the downstream call);
 * - after the call's own signal aborted, the abort reason (CANCELLED or
 *   DEADLINE_EXCEEDED) wins, since the handler most likely failed because of it;
 * - an AbortError (e.g. from a cancelled fetch) becomes CANCELLED;
 * - a response that cannot be sent (see UnsendableResponseError) becomes its
 *   status, INTERNAL or RESOURCE_EXHAUSTED, and goes to the error hook;
 * - anything else becomes UNKNOWN with a generic message, and the original is
 *   passed to the error hook instead of to the client.
 * The handler's `context.trailer` is sent in every case.
 */
export function toServerStatus(error: unknown, trailer: Metadata, signal: AbortSignal, method: MethodInfo, policy: ErrorPolicy): ServerErrorResponse {
  const rpcError = toRpcError(error, signal, method, policy);
  const forwarded = isReceived(rpcError);
  const metadata = toGrpcMetadata(trailer).clone();
  if (!forwarded) {
    mergeMetadata(metadata, rpcError.metadata);
  }
  for (const key of reservedTrailers) {
    metadata.remove(key);
  }
  // An RpcError of another copy of the runtime that predates details has no toStatus().
  const details = forwarded || typeof rpcError.toStatus !== "function" ? [] : rpcError.toStatus().details;
  const message = toWellFormed(rpcError.rawMessage);
  if (details.length > 0) {
    metadata.set(statusDetailsKey, encodeStatusDetails(rpcError.code, message, details));
  }
  return { name: "RpcError", message, code: rpcError.code as number, details: message, metadata };
}

/**
 * Replaces lone UTF-16 surrogates with U+FFFD: grpc-js percent-encodes the
 * message with `encodeURI`, which throws on them, and that throw would escape
 * as an uncaught exception and leave the call without a status.
 */
function toWellFormed(message: string): string {
  return message.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function toRpcError(error: unknown, signal: AbortSignal, method: MethodInfo, policy: ErrorPolicy): RpcError {
  if (error instanceof RpcError) {
    return error;
  }
  if (signal.aborted && signal.reason instanceof RpcError) {
    return signal.reason;
  }
  if (error instanceof Error && error.name === "AbortError") {
    return new RpcError(Code.CANCELLED, "Operation aborted");
  }
  reportServerError(policy, error, method);
  if (error instanceof UnsendableResponseError) {
    return error.status;
  }
  return policy.exposeInternalErrors ? exposedError(error) : new RpcError(Code.UNKNOWN, internalErrorMessage);
}

/** Passes an unexpected error to the error hook, which must not keep the call from ending if it throws. */
export function reportServerError(policy: ErrorPolicy, error: unknown, method: MethodInfo): void {
  try {
    policy.onError(error, { method });
  } catch {
    // A failing hook must not keep the call from ending with a status.
  }
}

/** The UNKNOWN error a server that opted in sends: the original message and stack. */
function exposedError(error: unknown): RpcError {
  const message = error instanceof Error ? error.message : describe(error);
  const stack = error instanceof Error && error.stack !== undefined ? error.stack.split("\n") : [];
  return new RpcError(Code.UNKNOWN, message, {
    details: [create(DebugInfoSchema, { detail: describe(error), stackEntries: stack })],
  });
}

function describe(value: unknown): string {
  if (value instanceof Error) {
    return `${value.name}: ${value.message}`;
  }
  try {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** The default error hook: one line on stderr naming the method. */
export function logServerError(error: unknown, info: { readonly method: MethodInfo }): void {
  console.error(`[stubwright] ${info.method.path} failed:`, error);
}
