/**
 * `@stubwright/runtime/interceptors`: composing and writing interceptors
 * (their types, `chainInterceptors`, `observeOutcome`, typed context values)
 * and the ready-made ones: logging and bearer-token auth. The OpenTelemetry
 * ones are in `@stubwright/runtime/opentelemetry`, which needs its peer.
 */
export { createContextKey, createContextValues, type ContextKey, type ContextValues } from "./context-values.js";
export {
  chainInterceptors,
  type InterceptedCall,
  type ServerInterceptedCall,
  type ClientInterceptedCall,
  type InterceptedResult,
  type Next,
  type Interceptor,
  type ServerInterceptor,
  type ClientInterceptor,
  type UniversalInterceptor,
} from "./interceptor.js";
export { observeOutcome, codeOf, type OutcomeListener } from "./call-outcome.js";
export {
  bearerTokenInterceptor,
  bearerAuthInterceptor,
  resolveToken,
  type BearerAuthOptions,
  type TokenSource,
} from "./bearer-auth.js";
export { loggingInterceptor, type CallLogEntry, type LoggingOptions } from "./logging.js";
