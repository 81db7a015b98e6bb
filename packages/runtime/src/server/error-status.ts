import { Metadata, type ServerErrorResponse } from "@grpc/grpc-js";
import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";

/** Called with every error a handler raised that is not an RpcError. */
export type ServerErrorHook = (error: unknown, info: { readonly method: string }) => void;

/** How a server turns handler failures into statuses. */
export interface ErrorPolicy {
  /** Receives unexpected errors (anything but an RpcError); logs to stderr by default. */
  readonly onError: ServerErrorHook;
  /** Send the message of unexpected errors to clients (default false: a generic message). */
  readonly exposeInternalErrors: boolean;
}

/**
 * Maps whatever a handler threw or rejected with to the status the client
 * receives:
 * - an RpcError keeps its code, message and metadata;
 * - an AbortError (e.g. from a cancelled fetch) becomes CANCELLED;
 * - after the call's own signal aborted, the abort reason (CANCELLED or
 *   DEADLINE_EXCEEDED) wins, since the handler most likely failed because of it;
 * - anything else becomes UNKNOWN with a generic message, and the original is
 *   passed to the error hook instead of to the client.
 */
export function toServerStatus(
  error: unknown,
  trailer: Metadata,
  signal: AbortSignal,
  method: string,
  policy: ErrorPolicy,
): ServerErrorResponse {
  const rpcError = toRpcError(error, signal, method, policy);
  const metadata = trailer.clone();
  metadata.merge(rpcError.metadata);
  return { name: "RpcError", message: rpcError.rawMessage, code: rpcError.code as number as ServerErrorResponse["code"] & number, details: rpcError.rawMessage, metadata };
}

function toRpcError(error: unknown, signal: AbortSignal, method: string, policy: ErrorPolicy): RpcError {
  if (error instanceof RpcError) {
    return error;
  }
  if (signal.aborted && signal.reason instanceof RpcError) {
    return signal.reason;
  }
  if (error instanceof Error && error.name === "AbortError") {
    return new RpcError(Code.CANCELLED, "Operation aborted");
  }
  policy.onError(error, { method });
  const message = policy.exposeInternalErrors && error instanceof Error ? error.message : "Internal server error";
  return new RpcError(Code.UNKNOWN, message);
}

/** The default error hook: one line on stderr naming the method. */
export function logServerError(error: unknown, info: { readonly method: string }): void {
  console.error(`[stubwright] ${info.method} failed:`, error);
}

