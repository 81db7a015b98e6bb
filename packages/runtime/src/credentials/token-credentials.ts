import { Metadata, credentials, type CallCredentials } from "@grpc/grpc-js";
import { Code } from "../code.js";
import { resolveToken, type TokenSource } from "../interceptors/bearer-auth.js";
import { RpcError } from "../rpc-error.js";

/**
 * grpc-js call credentials that send `authorization: Bearer <token>`, asking
 * `token` for the current token on every call (so a provider can refresh it).
 * Use per call (`{ credentials }` in the call options) or for every call by
 * combining with the channel's TLS credentials:
 * `credentials.combineChannelCredentials(createChannelTls(...), bearerTokenCredentials(provider))`.
 * grpc-js sends call credentials over TLS channels only; for a plaintext
 * channel use the `bearerTokenInterceptor` instead.
 */
export function bearerTokenCredentials(token: TokenSource): CallCredentials {
  return credentials.createFromMetadataGenerator((_params, callback) => {
    resolveToken(token).then(
      (value) => {
        const metadata = new Metadata();
        metadata.set("authorization", `Bearer ${value}`);
        callback(null, metadata);
      },
      (error: unknown) => callback(providerError(error)),
    );
  });
}

/**
 * The error grpc-js fails the call with when the provider fails: an RpcError
 * keeps its code; anything else becomes UNAVAILABLE (as gRPC specifies for
 * credential plugins) rather than grpc-js's default UNKNOWN.
 */
function providerError(error: unknown): Error & { code: Code } {
  if (error instanceof RpcError) {
    return Object.assign(new Error(error.rawMessage), { code: error.code });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`Token provider failed: ${detail}`), { code: Code.UNAVAILABLE });
}
