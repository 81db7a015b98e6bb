import { Code } from "../code.js";
import type { MethodInfo } from "../method-info.js";
import { RpcError } from "../rpc-error.js";
import type { ContextKey } from "./context-values.js";
import type { ClientInterceptor, ServerInterceptedCall, ServerInterceptor } from "./interceptor.js";

/** A bearer token, or a function that returns the current one (e.g. refreshed). */
export type TokenSource = string | (() => string | Promise<string>);

/** Resolves a {@link TokenSource} to the token to send now. */
export async function resolveToken(source: TokenSource): Promise<string> {
  return typeof source === "string" ? source : await source();
}

/**
 * A client interceptor that sends `authorization: Bearer <token>` with every
 * call. Works over any channel; for TLS channels, {@link bearerTokenCredentials}
 * (grpc-js call credentials) is the alternative.
 */
export function bearerTokenInterceptor(token: TokenSource): ClientInterceptor {
  return (next) => async (call) => {
    call.metadata.set("authorization", `Bearer ${await resolveToken(token)}`);
    return next(call);
  };
}

/** Options for {@link bearerAuthInterceptor}. */
export interface BearerAuthOptions<P> {
  /**
   * Checks a token: returns the principal it stands for, or `undefined` when
   * the token is not accepted (the call then fails with PERMISSION_DENIED).
   * Throwing an RpcError chooses another status.
   */
  readonly verify: (token: string, call: ServerInterceptedCall) => P | undefined | Promise<P | undefined>;
  /** Where handlers find the principal: `context.values.get(key)`. */
  readonly key: ContextKey<P | undefined>;
  /**
   * Methods that need no token, e.g. `(method) => method.serviceName === "grpc.health.v1.Health"`.
   * Default: none.
   */
  readonly exempt?: ((method: MethodInfo) => boolean) | undefined;
}

/**
 * A server interceptor that requires `authorization: Bearer <token>`:
 * a missing or malformed header fails with UNAUTHENTICATED, a token that
 * `verify` rejects with PERMISSION_DENIED; otherwise the principal is put in
 * the context values under `key` for the handler.
 */
export function bearerAuthInterceptor<P>(options: BearerAuthOptions<P>): ServerInterceptor {
  return (next) => async (call) => {
    if (options.exempt?.(call.method) === true) {
      return next(call);
    }
    const token = bearerToken(call.metadata.get("authorization"));
    if (token === undefined) {
      throw new RpcError(Code.UNAUTHENTICATED, "Missing bearer token");
    }
    const principal = await options.verify(token, call);
    if (principal === undefined) {
      throw new RpcError(Code.PERMISSION_DENIED, "Bearer token not accepted");
    }
    call.values.set(options.key, principal);
    return next(call);
  };
}

function bearerToken(values: readonly unknown[]): string | undefined {
  const header = values.length === 1 ? values[0] : undefined;
  if (typeof header !== "string") {
    return undefined;
  }
  const match = /^Bearer +(\S+)$/i.exec(header.trim());
  return match?.[1];
}
