export { Code, codeName, codeFromName, isCode } from "./code.js";
export { RpcError, type RpcErrorOptions } from "./rpc-error.js";
export { rpcErrorFromServiceError, rpcErrorFromStatus, isServiceError } from "./status.js";
export { createMetadata, mergeMetadata, type MetadataInit } from "./metadata.js";
export { resolveDeadline, timeRemaining, maxTimerDelay } from "./deadline.js";
export { currentCall, runDetached, type PropagatedCall } from "./propagation.js";
export { createSerializer, createDeserializer, type Serializer, type Deserializer } from "./codec.js";
export {
  unaryMethod,
  serverStreamingMethod,
  clientStreamingMethod,
  bidiStreamingMethod,
  type MethodKind,
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
export { getMessageCodec, type MessageCodec } from "./codec/message-codec.js";
export { setCodecMode, getCodecMode, type CodecMode } from "./codec/codec-mode.js";
