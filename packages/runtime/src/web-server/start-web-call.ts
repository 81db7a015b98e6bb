import { Code } from "../code.js";
import type { Metadata } from "../metadata.js";
import { runDetached } from "../propagation.js";
import { RpcError } from "../rpc-error.js";
import type { ServerRoute } from "../server/server-routes.js";
import type { MessageCodecOptions } from "./message-codec.js";
import { type CallStatus, WebCall, type WebCallParts } from "./web-call.js";

/** What the web protocols share of the handler's configuration. */
export interface WebSettings extends MessageCodecOptions {
  /** The largest request message, in bytes (after decompression). */
  readonly maxReceiveBytes: number;
  /** Responses at least this large are compressed when the client accepts gzip. */
  readonly compressMinBytes: number;
  /** Set once the server's shutdown began: new calls get UNAVAILABLE. */
  closing: boolean;
}

/** Hands one decoded request to the route's dispatcher, as gRPC would, on a {@link WebCall}. */
export function startWebCall(parts: WebCallParts, route: ServerRoute, request: unknown, metadata: Metadata, deadlineMs: number): void {
  const call = new WebCall(parts, metadata, deadlineMs);
  call.request = request;
  // Detached: the handler's call is its own inbound call, never one the listener happened to run in.
  runDetached(() => route.dispatch(call as never, call.sendSingle));
}

/**
 * Hands a call whose client streams (client streaming, bidi) to the route's
 * dispatcher: `feed` attaches the body reader to the call's request stream
 * first, so no message arrives before there is a stream to take it.
 */
export function startWebStreamCall(parts: WebCallParts, route: ServerRoute, metadata: Metadata, deadlineMs: number, feed: (call: WebCall) => void): void {
  const call = new WebCall(parts, metadata, deadlineMs);
  feed(call);
  runDetached(() => route.dispatch(call as never, call.sendSingle));
}

/**
 * The status for an error met before the call reached its handler: an
 * RpcError's own, anything else INTERNAL with a fixed message (nothing
 * internal leaks).
 */
export function statusOf(error: unknown): CallStatus {
  return error instanceof RpcError ? { code: error.code, details: error.rawMessage } : { code: Code.INTERNAL, details: "Internal server error" };
}
