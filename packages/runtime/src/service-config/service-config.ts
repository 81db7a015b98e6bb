import type { ChannelOptions, MethodConfig, RetryPolicy, ServiceConfig } from "@grpc/grpc-js";
import { Code, codeName } from "../code.js";
import type { ServiceDefinition } from "../method-definition.js";

/** How a client retries methods declared `NO_SIDE_EFFECTS` or `IDEMPOTENT`. */
export interface RetryOptions {
  /** Attempts in all, the first included (grpc-js allows at most 5; default 4). */
  readonly maxAttempts?: number | undefined;
  /** Backoff before the first retry in milliseconds (default 100); later ones grow by `backoffMultiplier`, jittered. */
  readonly initialBackoffMs?: number | undefined;
  /** Upper bound of the backoff in milliseconds (default 1000). */
  readonly maxBackoffMs?: number | undefined;
  /** Growth of the backoff per retry (default 2). */
  readonly backoffMultiplier?: number | undefined;
  /** Codes that are retried (default: UNAVAILABLE only, which means the server did not act). */
  readonly retryableCodes?: readonly Code[] | undefined;
}

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
  const maxAttempts = options.maxAttempts ?? 4;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 2) {
    throw new RangeError(`retry maxAttempts must be an integer of at least 2, got ${maxAttempts}`);
  }
  const codes = options.retryableCodes ?? [Code.UNAVAILABLE];
  if (codes.length === 0 || codes.includes(Code.OK)) {
    throw new RangeError("retry retryableCodes must list at least one code, and not OK");
  }
  return {
    maxAttempts,
    initialBackoff: seconds(options.initialBackoffMs ?? 100),
    maxBackoff: seconds(options.maxBackoffMs ?? 1000),
    backoffMultiplier: options.backoffMultiplier ?? 2,
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
