import type { Metadata as GrpcMetadata, ServerErrorResponse } from "@grpc/grpc-js";
import type { Metadata } from "../metadata.js";
import type { Readable, Writable } from "node:stream";

/**
 * One inbound call as the server dispatcher sees it, whatever carried it
 * (grpc-js, the in-memory transport, a gateway): request headers, peer,
 * deadline, a way to send response headers, and a "cancelled" event when the
 * peer cancels or the deadline passes (the dispatcher tells the two apart by
 * the time left). The shape is a subset of grpc-js's server calls, so the
 * grpc-js adapter hands those over as they are.
 */
export interface ServerCall {
  /** Request headers, validated as on the wire. */
  readonly metadata: Metadata;
  /** The client's address. */
  getPeer(): string;
  /** The call's absolute deadline: a Date, or `Infinity` for none. */
  getDeadline(): Date | number;
  /** Sends the response headers (once). */
  sendMetadata(headers: GrpcMetadata): void;
  on(event: "cancelled", listener: () => void): unknown;
  off(event: "cancelled", listener: () => void): unknown;
}

/** A call whose client sends one request message (unary, server streaming). */
export interface SingleRequestCall extends ServerCall {
  readonly request: unknown;
}

/**
 * A call whose client streams requests (client streaming, bidi): decoded
 * messages, read with `read()` on "readable" (backpressure: the transport
 * reads on from the peer only as this buffer drains). "end" is the client's
 * half-close and must come only after a real half-close, never after a reset.
 */
export type RequestStreamCall = ServerCall & Readable;

/**
 * A call the server answers with a stream: `write` takes what the dispatcher
 * encoded (bytes) and returns false until "drain"; `end(trailers)` sends the
 * OK status with the trailers; emitting "error" with a status ends the call
 * with it.
 */
export type ResponseStreamCall = ServerCall & Writable & { end(trailers?: GrpcMetadata): unknown };

/**
 * Ends a call answered by one message: with `status` when it failed, or with
 * OK, the response (bytes, or a message when the adapter serializes) and the
 * trailers.
 */
export type SendSingleResponse = (status: ServerErrorResponse | null, response?: unknown, trailers?: GrpcMetadata) => void;
