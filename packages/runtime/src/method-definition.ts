import type { MethodDefinition as GrpcMethodDefinition } from "@grpc/grpc-js";
import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { createDeserializer, createSerializer, type Deserializer, type Serializer } from "./codec/serializers.js";
import type { Idempotency, MethodInfo, MethodKind } from "./method-info.js";

/**
 * A grpc-js method definition that also knows its protobuf-es schemas and
 * kind. grpc-js's `Server#addService` and `makeGenericClientConstructor`
 * accept it as is (its serializers use the compiled codec); Stubwright's
 * client and server read the extra fields, and serialize with the codec
 * they were created with (`ClientOptions.codec`, `ServerOptions.codec`).
 */
export interface MethodDefinition<I extends DescMessage = DescMessage, O extends DescMessage = DescMessage, K extends MethodKind = MethodKind>
  extends GrpcMethodDefinition<MessageInitShape<I>, MessageInitShape<O>>,
    MethodInfo<I, O, K> {
  readonly path: string;
  /** The method's name, under which grpc-js's generic clients also offer it. */
  readonly originalName: string;
  // Restated from MethodInfo: grpc-js's own declarations of these differ (mutable, plain booleans).
  readonly requestStream: K extends "client_streaming" | "bidi_streaming" ? true : false;
  readonly responseStream: K extends "server_streaming" | "bidi_streaming" ? true : false;
  readonly requestSerialize: Serializer<I>;
  readonly requestDeserialize: Deserializer<I>;
  readonly responseSerialize: Serializer<O>;
  readonly responseDeserialize: Deserializer<O>;
  /** True when the method, its service or its file is marked deprecated in the .proto file. */
  readonly deprecated: boolean;
}

/** A unary method: one request, one response. */
export type UnaryMethodDefinition<I extends DescMessage, O extends DescMessage> = MethodDefinition<I, O, "unary">;
/** A server-streaming method: one request, a stream of responses. */
export type ServerStreamingMethodDefinition<I extends DescMessage, O extends DescMessage> = MethodDefinition<I, O, "server_streaming">;
/** A client-streaming method: a stream of requests, one response. */
export type ClientStreamingMethodDefinition<I extends DescMessage, O extends DescMessage> = MethodDefinition<I, O, "client_streaming">;
/** A bidirectional-streaming method: streams both ways. */
export type BidiStreamingMethodDefinition<I extends DescMessage, O extends DescMessage> = MethodDefinition<I, O, "bidi_streaming">;

/**
 * A service as grpc-js sees it: method definitions keyed by the names the
 * generated client and handler interfaces use.
 */
export type ServiceDefinition = Readonly<Record<string, MethodDefinition>>;

/** The decoded request message type of a method definition. */
export type RequestOf<M> = M extends MethodDefinition<infer I, DescMessage> ? MessageShape<I> : never;
/** The request init shape (message or plain object) of a method definition. */
export type RequestInitOf<M> = M extends MethodDefinition<infer I, DescMessage> ? MessageInitShape<I> : never;
/** The decoded response message type of a method definition. */
export type ResponseOf<M> = M extends MethodDefinition<DescMessage, infer O> ? MessageShape<O> : never;
/** The response init shape (message or plain object) of a method definition. */
export type ResponseInitOf<M> = M extends MethodDefinition<DescMessage, infer O> ? MessageInitShape<O> : never;

/**
 * Defines a method: its path is `/package.Service/Method`, and a client
 * derives its retry policy from `idempotency` (only methods safe to repeat
 * are retried).
 */
export function defineMethod<I extends DescMessage, O extends DescMessage, K extends MethodKind>(
  kind: K,
  path: string,
  requestSchema: I,
  responseSchema: O,
  idempotency: Idempotency,
  deprecated: boolean,
): MethodDefinition<I, O, K> {
  const separator = path.lastIndexOf("/");
  const methodName = path.slice(separator + 1);
  return {
    path,
    serviceName: path.slice(1, separator),
    methodName,
    originalName: methodName,
    kind,
    idempotency,
    requestStream: (kind === "client_streaming" || kind === "bidi_streaming") as MethodDefinition<I, O, K>["requestStream"],
    responseStream: (kind === "server_streaming" || kind === "bidi_streaming") as MethodDefinition<I, O, K>["responseStream"],
    requestSchema,
    responseSchema,
    requestSerialize: createSerializer(requestSchema),
    requestDeserialize: createDeserializer(requestSchema),
    responseSerialize: createSerializer(responseSchema),
    responseDeserialize: createDeserializer(responseSchema),
    deprecated,
  };
}

/**
 * Defines a unary method by hand, without a descriptor. Benchmarks import it from dist/ by path.
 *
 * @public
 */
export function unaryMethod<I extends DescMessage, O extends DescMessage>(
  path: string,
  input: I,
  output: O,
  idempotency: Idempotency = "unknown",
): UnaryMethodDefinition<I, O> {
  return defineMethod("unary", path, input, output, idempotency, false);
}

/**
 * Defines a server-streaming method by hand, without a descriptor. Benchmarks import it from dist/ by path.
 *
 * @public
 */
export function serverStreamingMethod<I extends DescMessage, O extends DescMessage>(
  path: string,
  input: I,
  output: O,
  idempotency: Idempotency = "unknown",
): ServerStreamingMethodDefinition<I, O> {
  return defineMethod("server_streaming", path, input, output, idempotency, false);
}

/**
 * Defines a client-streaming method by hand, without a descriptor. Benchmarks import it from dist/ by path.
 *
 * @public
 */
export function clientStreamingMethod<I extends DescMessage, O extends DescMessage>(
  path: string,
  input: I,
  output: O,
  idempotency: Idempotency = "unknown",
): ClientStreamingMethodDefinition<I, O> {
  return defineMethod("client_streaming", path, input, output, idempotency, false);
}
