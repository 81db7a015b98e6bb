import { codeName } from "../code.js";
import type { Metadata } from "../metadata.js";
import type { CallOptions } from "../client/call-options.js";
import type { MethodDefinition } from "../method-definition.js";

/**
 * The final status of a call as a transport reports it: the code, the
 * message, and the trailers (a google.rpc.Status with details travels in the
 * `grpc-status-details-bin` trailer, as on the wire).
 */
export interface CallStatus {
  /** The status code (see `Code`); a number, so a peer's unknown code survives until it is mapped. */
  readonly code: number;
  /** The status message. */
  readonly details: string;
  /** The trailers. */
  readonly metadata: Metadata;
}

/**
 * A call that ended with a status other than OK, as a transport hands it to
 * the client core: an Error carrying that status (grpc-js's `ServiceError` is one).
 * The core turns it into an RpcError, details included.
 */
export interface CallStatusError extends Error {
  /** The status code (see `Code`). */
  readonly code: number;
  /** The status message. */
  readonly details: string;
  /** The trailers. */
  readonly metadata: Metadata;
}

/** The error a transport reports for a failed status (see {@link CallStatusError}). */
export function callStatusError(status: CallStatus): CallStatusError {
  const error = new Error(`${status.code} ${codeName(status.code)}: ${status.details}`);
  return Object.assign(error, { code: status.code, details: status.details, metadata: status.metadata });
}

/**
 * What the client core has resolved for one call before it hands the call to
 * a transport. The core owns these semantics; a transport only carries them.
 */
export interface TransportCallOptions {
  /** Absolute deadline in epoch milliseconds; `Infinity` for none. The transport enforces it (expiry: DEADLINE_EXCEEDED). */
  readonly deadlineMs: number;
  /**
   * The clock (epoch ms) when the core resolved the deadline, `undefined` if
   * it needed none; a transport that sends the deadline as a timeout takes it
   * as "now", so a call reads the clock once.
   */
  readonly resolvedAtMs?: number | undefined;
  /** The caller's options, for the switches only some transports have (credentials, compression, wait-for-ready). */
  readonly callOptions: CallOptions;
}

/**
 * One call in flight, as the client core drives it. The transport emits
 * "metadata" at most once (the response headers), then exactly once
 * "status" (the final status, OK or not). The core always listens to
 * "error", so emitting it for a failed stream never crashes the process.
 * `cancel()` ends the call on the peer's side with CANCELLED; the core calls
 * it for an aborted signal, an inbound call that ended, or a consumer that
 * stopped reading, and may call it more than once.
 */
export interface TransportCall {
  cancel(): void;
  on(event: "metadata", listener: (headers: Metadata) => void): unknown;
  on(event: "status", listener: (status: CallStatus) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/**
 * The response messages of a streaming call, with backpressure: the core
 * calls `pause()` when it holds enough unread messages and `resume()` as the
 * consumer catches up, and the transport holds the peer back meanwhile. At
 * the end the transport emits "end" once every message was delivered, and,
 * for a status other than OK, "error" with a {@link CallStatusError}; until
 * "end", `readableLength` counts the messages it still buffers.
 */
export interface ResponseStream extends TransportCall {
  on(event: "metadata", listener: (headers: Metadata) => void): unknown;
  on(event: "status", listener: (status: CallStatus) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "data", listener: (message: unknown) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  off(event: "data", listener: (message: unknown) => void): unknown;
  off(event: "end", listener: () => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  readonly readableLength: number;
}

/**
 * The request side of a client or bidi streaming call, with backpressure:
 * `write` returns false when the caller must wait for "drain". `end()` is
 * the half-close; a cancelled call is never half-closed, so the peer can
 * never take a cut-off stream for a complete one. `flags` are per-message
 * write flags (see `uncompressed()`), which a transport may ignore.
 */
export interface RequestSink extends TransportCall {
  write(message: unknown, flags?: never): boolean;
  end(): unknown;
  on(event: "metadata", listener: (headers: Metadata) => void): unknown;
  on(event: "status", listener: (status: CallStatus) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "drain", listener: () => void): unknown;
  off(event: "drain", listener: () => void): unknown;
}

/** Receives the answer of a call that has one response message: the response, or the failed status. */
export type SingleResponseCallback = (error: CallStatusError | null, response?: unknown) => void;

/**
 * Carries calls to a server: the wire part of a client. Everything else —
 * deadline resolution and propagation, metadata validation, interceptors,
 * cancellation, status mapping — is the client core's, the same for every
 * transport. Methods arrive with the client's codec already in their
 * serializers (`requestSerialize`, `responseDeserialize`), so a transport that
 * carries bytes uses them and one that does not (none should) can skip them.
 *
 * The shape is the event-based call of grpc-js on purpose: the grpc-js
 * transport passes its calls through as they are, with no allocation per
 * call beyond grpc-js's own.
 */
export interface Transport {
  /** Marks the object as a transport for `createClient`, which also accepts addresses and grpc-js objects. */
  readonly kind: "transport";
  /** Where calls go, for logs and `String(client)`, e.g. `dns:127.0.0.1:50051` or `in-memory`. */
  readonly target: string;
  /** Starts a unary call; `callback` gets its answer once the status is known. */
  unary(method: MethodDefinition, request: unknown, metadata: Metadata, options: TransportCallOptions, callback: SingleResponseCallback): TransportCall;
  /** Starts a server-streaming call. */
  serverStreaming(method: MethodDefinition, request: unknown, metadata: Metadata, options: TransportCallOptions): ResponseStream;
  /** Starts a client-streaming call; `callback` gets its answer once the status is known. */
  clientStreaming(method: MethodDefinition, metadata: Metadata, options: TransportCallOptions, callback: SingleResponseCallback): RequestSink;
  /** Starts a bidirectional-streaming call. */
  bidiStreaming(method: MethodDefinition, metadata: Metadata, options: TransportCallOptions): RequestSink & ResponseStream;
  /** Releases what the transport holds (connections, timers). */
  close(): void;
}

/** True for a {@link Transport} (as opposed to an address or a grpc-js object). */
export function isTransport(value: unknown): value is Transport {
  return typeof value === "object" && value !== null && (value as Partial<Transport>).kind === "transport";
}
