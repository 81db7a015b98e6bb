/**
 * `@stubwright/runtime`: what every user needs. Clients and servers, the one
 * error type and its codes, metadata, and the types of options, contexts,
 * handlers and method definitions. Everything else lives in a subpath
 * (`/interceptors`, `/health`, `/reflection`, `/credentials`, `/channel`,
 * `/status`, `/deadline`, `/codec`, `/error-details`, `/opentelemetry`), and
 * generated code imports `/codegenv1` only. A test pins the list of values
 * exported here, so every addition is deliberate.
 */
export { Code } from "./code.js";
export { RpcError, type RpcErrorOptions } from "./rpc-error.js";
export { createMetadata, mergeMetadata, type Metadata, type MetadataInit, type MetadataValue } from "./metadata.js";
export { runDetached } from "./propagation.js";
export type { MethodInfo, MethodKind, Idempotency } from "./method-info.js";
export type {
  MethodDefinition,
  UnaryMethodDefinition,
  ServerStreamingMethodDefinition,
  ClientStreamingMethodDefinition,
  BidiStreamingMethodDefinition,
  ServiceDefinition,
  RequestOf,
  RequestInitOf,
  ResponseOf,
  ResponseInitOf,
} from "./method-definition.js";
export type { CallOptions } from "./client/call-options.js";
export type { ClientOptions } from "./client/client-options.js";
export type { CodecChoice } from "./codec/codec.js";
export type { Compression } from "./compression/compression.js";
export type { RetryOptions, LoadBalancingPolicy } from "./service-config/service-config.js";
export {
  createClient,
  closeClient,
  type ClientSource,
  type ClientMethod,
  type ServiceClient,
} from "./client/create-client.js";
export type { ServerCallContext } from "./server/server-context.js";
export type { ContextKey, ContextValues } from "./interceptors/context-values.js";
export type { MethodHandler, ServiceHandlers, MaybePromise } from "./server/handler-types.js";
export type { ServerErrorHook } from "./server/error-status.js";
export {
  createServer,
  type ServerOptions,
  type ShutdownOptions,
  type StubwrightServer,
} from "./server/create-server.js";
