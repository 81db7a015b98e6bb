import type { CallCredentials } from "@grpc/grpc-js";
import type { MetadataInit, Metadata } from "../metadata.js";

/**
 * Options for one call made with a Stubwright client. `credentials`,
 * `compress` and `waitForReady` are switches of the grpc-js transport;
 * other transports ignore them.
 */
export interface CallOptions {
  /** Milliseconds the call may take; sent on the wire as `grpc-timeout`. */
  readonly timeoutMs?: number | undefined;
  /** Absolute deadline (a `Date` or epoch milliseconds); the earlier of this and `timeoutMs` wins. */
  readonly deadline?: Date | number | undefined;
  /** Request headers. */
  readonly metadata?: MetadataInit | undefined;
  /** Aborting cancels the call; it then fails with CANCELLED. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Called once with the response headers. If it throws, the call is
   * cancelled and fails with what it threw if that is an RpcError, otherwise
   * with CANCELLED and the thrown value as `cause` (as when the request
   * stream throws).
   */
  readonly onHeader?: ((headers: Metadata) => void) | undefined;
  /**
   * Called once with the response trailers, on success and on failure. If it
   * throws, a call that succeeded fails as for `onHeader`; a call that failed
   * keeps its own error.
   */
  readonly onTrailer?: ((trailers: Metadata) => void) | undefined;
  /**
   * Whether the call inherits the deadline and cancellation of the inbound
   * call it is made within (default `true`). Set `false` for a call that must
   * outlive the request, such as a fire-and-forget audit write.
   */
  readonly propagate?: boolean | undefined;
  /** Per-call credentials, e.g. a bearer token; combined with the channel's. */
  readonly credentials?: CallCredentials | undefined;
  /** `false` sends this call's requests uncompressed although the client compresses (see `ClientOptions.compression`). */
  readonly compress?: boolean | undefined;
  /**
   * `true` makes the call wait (within its deadline) for the channel to
   * connect instead of failing with UNAVAILABLE at once while the server
   * cannot be reached, e.g. at startup or during a restart (default `false`).
   */
  readonly waitForReady?: boolean | undefined;
}
