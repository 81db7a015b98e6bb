import type { ChannelOptions } from "@grpc/grpc-js";

/** HTTP/2 keepalive settings, in the units grpc-js uses. */
export interface KeepaliveOptions {
  /** Send a PING after this many milliseconds without activity. */
  readonly timeMs: number;
  /** Close the connection when a PING is not answered within this many milliseconds (grpc-js default 20 000). */
  readonly timeoutMs?: number | undefined;
  /** Also ping while no call is open (default false). */
  readonly permitWithoutCalls?: boolean | undefined;
}

/**
 * The grpc-js channel (or server) options for keepalive, to spread into a
 * client's `channelOptions` or a server's `grpc` options.
 */
export function keepaliveOptions(options: KeepaliveOptions): ChannelOptions {
  if (!(options.timeMs > 0)) {
    throw new RangeError(`keepalive timeMs must be positive, got ${options.timeMs}`);
  }
  const result: ChannelOptions = { "grpc.keepalive_time_ms": options.timeMs };
  if (options.timeoutMs !== undefined) {
    result["grpc.keepalive_timeout_ms"] = options.timeoutMs;
  }
  if (options.permitWithoutCalls !== undefined) {
    result["grpc.keepalive_permit_without_calls"] = options.permitWithoutCalls ? 1 : 0;
  }
  return result;
}
