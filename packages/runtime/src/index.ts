export { Code, codeName, codeFromName, isCode } from "./code.js";
export { RpcError, type RpcErrorOptions } from "./rpc-error.js";
export { rpcErrorFromServiceError, rpcErrorFromStatus, isServiceError } from "./status.js";
export {
  statusDetailsKey,
  standardDetailsRegistry,
  encodeStatusDetails,
  decodeStatusDetails,
} from "./status-details.js";
export { codeToHttpStatus, codeFromHttpStatus } from "./http-status.js";
export { isRetryable, retryDelay } from "./retry-hints.js";
export { createMetadata, mergeMetadata, type MetadataInit } from "./metadata.js";
export { resolveDeadline, timeRemaining, maxWireTimeout, wireDeadline } from "./deadline.js";
export { currentCall, runDetached, type PropagatedCall, type AbortFollower } from "./propagation.js";
export type { Serializer, Deserializer } from "./codec/serializers.js";
export {
  unaryMethod,
  serverStreamingMethod,
  clientStreamingMethod,
  bidiStreamingMethod,
  type MethodKind,
  type Idempotency,
  type MethodDefinition,
  type UnaryMethodDefinition,
  type ServerStreamingMethodDefinition,
  type ClientStreamingMethodDefinition,
  type BidiStreamingMethodDefinition,
  type ServiceDefinition,
  type RequestOf,
  type RequestInitOf,
  type ResponseOf,
  type ResponseInitOf,
} from "./method-definition.js";
export type { CallOptions, ClientOptions } from "./client/call-options.js";
export * from "./interceptors/index.js";
export * from "./health/index.js";
export * from "./reflection/index.js";
export * from "./credentials/index.js";
export { compressionOptions, type Compression } from "./compression/compression.js";
export {
  createServiceConfig,
  type RetryOptions,
  type LoadBalancingPolicy,
  type ServiceConfigOptions,
} from "./service-config/service-config.js";
export { addressListTarget } from "./load-balancing/address-list.js";
export { uncompressed } from "./client/write-flags.js";
export {
  createClient,
  closeClient,
  getGrpcClient,
  type ClientSource,
  type ClientMethod,
  type ServiceClient,
} from "./client/create-client.js";
export type { ServerCallContext } from "./server/server-context.js";
export type { MethodHandler, ServiceHandlers, MaybePromise } from "./server/handler-types.js";
export type { ServerErrorHook } from "./server/error-status.js";
export {
  createServer,
  type ServerOptions,
  type ShutdownOptions,
  type StubwrightServer,
} from "./server/create-server.js";
