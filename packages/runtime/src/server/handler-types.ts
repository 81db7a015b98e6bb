import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { MethodDefinition } from "../method-definition.js";
import type { ServiceDefinitionOf, ServiceLike } from "../service-from-descriptor.js";
import type { ServerCallContext } from "./server-context.js";

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** The handler type for one method definition. */
export type MethodHandler<M> =
  M extends MethodDefinition<infer I extends DescMessage, infer O extends DescMessage, infer K>
    ? K extends "unary"
      ? (request: MessageShape<I>, context: ServerCallContext) => MaybePromise<MessageInitShape<O>>
      : K extends "server_streaming"
        ? (request: MessageShape<I>, context: ServerCallContext) => AsyncIterable<MessageInitShape<O>>
        : K extends "client_streaming"
          ? (requests: AsyncIterable<MessageShape<I>>, context: ServerCallContext) => MaybePromise<MessageInitShape<O>>
          : (requests: AsyncIterable<MessageShape<I>>, context: ServerCallContext) => AsyncIterable<MessageInitShape<O>>
    : never;

/**
 * Handlers for a service definition or a protoc-gen-es `GenService`: one per
 * RPC. Missing ones answer UNIMPLEMENTED.
 */
export type ServiceHandlers<S extends ServiceLike> = { [K in keyof ServiceDefinitionOf<S>]: MethodHandler<ServiceDefinitionOf<S>[K]> };
