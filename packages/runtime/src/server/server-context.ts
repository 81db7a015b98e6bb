import { Metadata, type ServerUnaryCall } from "@grpc/grpc-js";
import { setMaxListeners } from "node:events";
import { Code } from "../code.js";
import { onDeadline, timeRemaining, toEpochMillis } from "../deadline.js";
import { createContextValues, type ContextValues } from "../interceptors/context-values.js";
import { mergeMetadata, type MetadataInit } from "../metadata.js";
import type { PropagatedCall } from "../propagation.js";
import { RpcError } from "../rpc-error.js";

/** The parts of a grpc-js server call (of any kind) that a context reads. */
export interface SurfaceCall extends Pick<ServerUnaryCall<unknown, unknown>, "metadata" | "getPeer" | "sendMetadata" | "getDeadline"> {
  on(event: "cancelled", listener: () => void): unknown;
  off(event: "cancelled", listener: () => void): unknown;
}

/** What a handler knows about the call it serves. */
export interface ServerCallContext {
  /** The method path, e.g. `/pkg.Service/Method`. */
  readonly method: string;
  /** Request headers sent by the client. */
  readonly metadata: Metadata;
  /** The deadline the client sent (`grpc-timeout`), or `undefined` for none. */
  readonly deadline: Date | undefined;
  /** Milliseconds left until the deadline; `Infinity` without one. */
  timeRemaining(): number;
  /** Aborts on client cancellation, deadline expiry, or forced server shutdown. */
  readonly signal: AbortSignal;
  /** The client's address, e.g. `127.0.0.1:53412`. */
  readonly peer: string;
  /** Response headers; sent with the first response, the status, or {@link sendHeader}. */
  readonly header: Metadata;
  /** Sends the response headers now, adding `metadata` first. Later calls do nothing. */
  sendHeader(metadata?: MetadataInit): void;
  /** Response trailers, sent with the status on success and on failure. */
  readonly trailer: Metadata;
  /** Typed values set by interceptors, e.g. the authenticated principal. */
  readonly values: ContextValues;
}

/** The server's view of one call's context: the handler's part and the plumbing. */
export interface ContextController {
  readonly context: ServerCallContext;
  readonly propagated: PropagatedCall;
  /** Sends the headers if they were not sent yet. */
  flushHeader(): void;
  /** Aborts the handler's signal, e.g. on forced shutdown. */
  abort(reason: RpcError): void;
  /** Removes every timer and listener the context added. */
  dispose(): void;
}

/**
 * Creates the context of one inbound call. The signal aborts with an RpcError
 * reason (CANCELLED, DEADLINE_EXCEEDED or UNAVAILABLE), which outbound calls
 * made within the handler inherit.
 */
export function createContextController(call: SurfaceCall, method: string): ContextController {
  const controller = new AbortController();
  // Every outbound call made within the handler listens to this signal while
  // it runs (and removes its listener when it ends): a handler with more than
  // ten calls in flight is normal, not a leak worth a warning.
  setMaxListeners(0, controller.signal);
  const rawDeadline = call.getDeadline();
  const deadline = toEpochMillis(rawDeadline);
  const header = new Metadata();
  const trailer = new Metadata();
  let headerSent = false;
  const abort = (reason: RpcError): void => {
    if (!controller.signal.aborted) {
      controller.abort(reason);
    }
  };
  const onCancelled = (): void => {
    const expired = deadline !== Infinity && deadline - Date.now() <= expirySlackMs;
    abort(expired ? deadlineError() : new RpcError(Code.CANCELLED, "Call cancelled by the client"));
  };
  call.on("cancelled", onCancelled);
  const stopTimer = onDeadline(deadline, () => abort(deadlineError()));
  const sendHeader = (metadata?: MetadataInit): void => {
    if (headerSent) {
      return;
    }
    if (metadata !== undefined) {
      mergeMetadata(header, metadata);
    }
    headerSent = true;
    call.sendMetadata(header);
  };
  const context: ServerCallContext = {
    method,
    metadata: call.metadata,
    deadline: deadline === Infinity ? undefined : new Date(deadline),
    timeRemaining: () => timeRemaining(deadline),
    signal: controller.signal,
    peer: call.getPeer(),
    header,
    sendHeader,
    trailer,
    values: createContextValues(),
  };
  return {
    context,
    propagated: { method, deadline, signal: controller.signal },
    flushHeader() {
      if (!headerSent && Object.keys(header.getMap()).length > 0) {
        sendHeader();
      }
    },
    abort,
    dispose() {
      stopTimer();
      call.off("cancelled", onCancelled);
    },
  };
}

/**
 * A cancellation this close to the deadline counts as expiry: timers fire on
 * the event loop's cached clock, a little before `Date.now()` reaches the
 * deadline, and a client's own deadline timer cancels the call just before
 * the server's copy of the deadline (which starts on receipt) runs out.
 */
const expirySlackMs = 50;

function deadlineError(): RpcError {
  return new RpcError(Code.DEADLINE_EXCEEDED, "Deadline exceeded");
}
