import type { ChannelOptions, MethodConfig, RetryPolicy, ServiceConfig } from "@grpc/grpc-js";
import { Code, codeName } from "../code.js";
import type { ServiceDefinition } from "../method-definition.js";

/** How a client retries methods declared `NO_SIDE_EFFECTS` or `IDEMPOTENT`. */
export interface RetryOptions {
  /** Attempts in all, the first included (grpc-js allows at most 5; default 5, enough to outlast a reconnect). */
  readonly maxAttempts?: number | undefined;
  /** Backoff before the first retry in milliseconds (default 125); later ones grow by `backoffMultiplier`, jittered. */
  readonly initialBackoffMs?: number | undefined;
  /** Upper bound of the backoff in milliseconds (default 1000). */
  readonly maxBackoffMs?: number | undefined;
  /** Growth of the backoff per retry (default 2). */
  readonly backoffMultiplier?: number | undefined;
  /** Codes that are retried (default: UNAVAILABLE only, which means the server did not act). */
  readonly retryableCodes?: readonly Code[] | undefined;
}

/**
 * The default retry policy, sized to outlast a reconnection. When a
 * connection attempt fails, gRPC (grpc-js included) waits 1 s before the
 * next one and fails calls at once meanwhile; a policy that gives up sooner
 * fails every call to a server that is back within that second, e.g. after a
 * restart. Here the four backoffs (125, 250, 500 and 1000 ms, each jittered
 * by ±20 %) add up to at least 1.5 s: the last attempt comes after the
 * reconnect, leaving 0.5 s for its handshakes.
 */
const defaultRetry = {
  maxAttempts: 5,
  initialBackoffMs: 125,
  maxBackoffMs: 1000,
  backoffMultiplier: 2,
  retryableCodes: [Code.UNAVAILABLE],
} as const satisfies RetryOptions;

/** Client-side load-balancing policies grpc-js offers. */
export type LoadBalancingPolicy = "pick_first" | "round_robin";

/** The parts of the client options a service config is derived from. */
export interface ServiceConfigOptions {
  /** Retry settings, or `false` to never retry (default: retry safe methods with the defaults). */
  readonly retry?: RetryOptions | false | undefined;
  /** How calls spread over the addresses a target resolves to (grpc-js default: pick_first). */
  readonly loadBalancing?: LoadBalancingPolicy | undefined;
}

/**
 * The grpc-js service config for a service: a retry policy for each method
 * whose `idempotency_level` says it is safe to repeat (and for no other),
 * and the load-balancing policy. grpc-js never retries past the call's
 * deadline, so retries stay within the deadline the call has or inherits.
 * Returns `undefined` when there is nothing to configure.
 */
export function createServiceConfig(definition: ServiceDefinition, options: ServiceConfigOptions = {}): ServiceConfig | undefined {
  const methodConfig: MethodConfig[] = [];
  if (options.retry !== false) {
    const retryPolicy = toRetryPolicy(options.retry ?? {});
    const safe = Object.values(definition).filter((method) => method.idempotency !== "unknown");
    if (safe.length > 0) {
      methodConfig.push({ name: safe.map((method) => methodName(method.path)), retryPolicy });
    }
  }
  const loadBalancingConfig = options.loadBalancing === undefined ? [] : [{ [options.loadBalancing]: {} }];
  if (methodConfig.length === 0 && loadBalancingConfig.length === 0) {
    return undefined;
  }
  return { methodConfig, loadBalancingConfig };
}

/**
 * The channel options a client dials with: the caller's, plus the derived
 * service config unless the caller set `grpc.service_config` themselves.
 */
export function withServiceConfig(channelOptions: ChannelOptions, definition: ServiceDefinition, options: ServiceConfigOptions): ChannelOptions {
  if (channelOptions["grpc.service_config"] !== undefined) {
    return channelOptions;
  }
  const config = createServiceConfig(definition, options);
  return config === undefined ? channelOptions : { ...channelOptions, "grpc.service_config": JSON.stringify(config) };
}

function toRetryPolicy(options: RetryOptions): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? defaultRetry.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 2) {
    throw new RangeError(`retry maxAttempts must be an integer of at least 2, got ${maxAttempts}`);
  }
  const codes = options.retryableCodes ?? defaultRetry.retryableCodes;
  if (codes.length === 0 || codes.includes(Code.OK)) {
    throw new RangeError("retry retryableCodes must list at least one code, and not OK");
  }
  return {
    maxAttempts,
    initialBackoff: seconds(options.initialBackoffMs ?? defaultRetry.initialBackoffMs),
    maxBackoff: seconds(options.maxBackoffMs ?? defaultRetry.maxBackoffMs),
    backoffMultiplier: options.backoffMultiplier ?? defaultRetry.backoffMultiplier,
    retryableStatusCodes: codes.map((code) => codeName(code)),
  };
}

/** A protobuf JSON duration, e.g. `0.1s`, as grpc-js's service config expects. */
function seconds(ms: number): string {
  if (!(ms > 0)) {
    throw new RangeError(`retry backoff must be positive, got ${ms} ms`);
  }
  return `${ms / 1000}s`;
}

function methodName(path: string): { service: string; method: string } {
  const slash = path.lastIndexOf("/");
  return { service: path.slice(1, slash), method: path.slice(slash + 1) };
}
