import type { Registry } from "@bufbuild/protobuf";
import type { CallCredentials, ChannelCredentials, ChannelOptions, Interceptor, Metadata } from "@grpc/grpc-js";
import type { CodecChoice } from "../codec/codec.js";
import type { Compression } from "../compression/compression.js";
import type { ClientInterceptor } from "../interceptors/interceptor.js";
import type { LoadBalancingPolicy, RetryOptions } from "../service-config/service-config.js";
import type { MetadataInit } from "../metadata.js";

/** Options for one call made with a Stubwright client. */
export interface CallOptions {
  /** Milliseconds the call may take; sent on the wire as `grpc-timeout`. */
  readonly timeout?: number | undefined;
  /** Absolute deadline (a `Date` or epoch milliseconds); the earlier of this and `timeout` wins. */
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

/** Options for creating a Stubwright client. */
export interface ClientOptions {
  /** Channel credentials when the client dials an address (default: insecure). */
  readonly credentials?: ChannelCredentials | undefined;
  /** grpc-js channel options, e.g. keepalive, service config, message size limits. */
  readonly channelOptions?: ChannelOptions | undefined;
  /** Timeout in milliseconds for calls that set neither `timeout` nor `deadline`. */
  readonly defaultTimeout?: number | undefined;
  /** grpc-js client interceptors applied to every call. */
  readonly interceptors?: readonly Interceptor[] | undefined;
  /**
   * Schemas of error detail types beyond the standard google.rpc ones, so
   * `RpcError.details` holds them decoded (`findDetails(schema)` needs none).
   */
  readonly detailsRegistry?: Registry | undefined;
  /** Compress every request message (gzip or deflate); grpc-js cannot compress single calls only. */
  readonly compression?: Compression | undefined;
  /**
   * Retries of methods declared `NO_SIDE_EFFECTS` or `IDEMPOTENT` (on by
   * default, within each call's deadline); `false` turns them off. Applies when
   * the client dials an address and `channelOptions` has no `grpc.service_config`.
   */
  readonly retry?: RetryOptions | false | undefined;
  /** Client-side load balancing over the addresses the target resolves to (e.g. `round_robin`). */
  readonly loadBalancing?: LoadBalancingPolicy | undefined;
  /** Stubwright interceptors applied to every call, outermost first. */
  readonly use?: readonly ClientInterceptor[] | undefined;
  /**
   * How requests are encoded and responses decoded: `"compiled"` (default),
   * `"protobuf-es"` (its `toBinary` / `fromBinary`), or a `Codec` of your own
   * (see `@stubwright/runtime/codec`).
   */
  readonly codec?: CodecChoice | undefined;
}
