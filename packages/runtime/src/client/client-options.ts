import type { Registry } from "@bufbuild/protobuf";
import type { ChannelCredentials, ChannelOptions, Interceptor } from "@grpc/grpc-js";
import type { CodecChoice } from "../codec/codec.js";
import type { Compression } from "../compression/compression.js";
import type { ClientInterceptor } from "../interceptors/interceptor.js";
import type { LoadBalancingPolicy, RetryOptions } from "../service-config/service-config.js";

/**
 * Options for creating a Stubwright client. `credentials`, `channelOptions`,
 * `interceptors`, `compression`, `retry` and `loadBalancing` configure the
 * grpc-js transport, which the client builds from an address, a `Client` or
 * a `Channel`; a client on another transport ignores them.
 */
export interface ClientOptions {
  /** Channel credentials when the client dials an address (default: insecure). */
  readonly credentials?: ChannelCredentials | undefined;
  /** grpc-js channel options, e.g. keepalive, service config, message size limits. */
  readonly channelOptions?: ChannelOptions | undefined;
  /** Timeout in milliseconds for calls that set neither `timeoutMs` nor `deadline`. */
  readonly defaultTimeoutMs?: number | undefined;
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
