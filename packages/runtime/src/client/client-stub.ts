import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { methodWithCodec } from "../codec/method-codec.js";
import type { Codec } from "../codec/codec.js";
import { interceptStubMethod } from "../interceptors/client-interceptors.js";
import type { MethodDefinition, ServiceDefinition } from "../method-definition.js";
import { toServiceDefinition, type ServiceDefinitionOf, type ServiceLike } from "../service-from-descriptor.js";
import type { Transport } from "../transports/transport.js";
import { callBidiStreaming } from "./bidi-streaming-call.js";
import type { CallOptions } from "./call-options.js";
import type { ClientOptions } from "./client-options.js";
import { callClientStreaming } from "./client-streaming-call.js";
import type { CallStart } from "./prepared-call.js";
import { callServerStreaming } from "./server-streaming-call.js";
import { callUnary } from "./unary-call.js";

/** The typed stub method for one method definition. */
export type ClientMethod<M> =
  M extends MethodDefinition<infer I extends DescMessage, infer O extends DescMessage, infer K>
    ? K extends "unary"
      ? (request: MessageInitShape<I>, options?: CallOptions) => Promise<MessageShape<O>>
      : K extends "server_streaming"
        ? (request: MessageInitShape<I>, options?: CallOptions) => AsyncIterable<MessageShape<O>>
        : K extends "client_streaming"
          ? (requests: AsyncIterable<MessageInitShape<I>>, options?: CallOptions) => Promise<MessageShape<O>>
          : (requests: AsyncIterable<MessageInitShape<I>>, options?: CallOptions) => AsyncIterable<MessageShape<O>>
    : never;

/** A typed client for a service definition or a protoc-gen-es `GenService`: one method per RPC. */
export type ServiceClient<S extends ServiceLike> = { readonly [K in keyof ServiceDefinitionOf<S>]: ClientMethod<ServiceDefinitionOf<S>[K]> };

const transports = new WeakMap<object, Transport>();

/**
 * The client of `service` over `transport`, whatever platform: the part of
 * `createClient` that knows nothing of grpc-js. The stub object carries only
 * the RPC methods, so no RPC name can collide with a helper.
 */
export function createClientStub<S extends ServiceLike>(service: S, transport: Transport, codec: Codec, options: ClientOptions): ServiceClient<S> {
  const definition: ServiceDefinition = toServiceDefinition(service);
  const stub: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, method] of Object.entries(definition)) {
    // defineProperty, not assignment: a method may be named "__proto__".
    Object.defineProperty(stub, name, {
      value: interceptStubMethod(method, createMethod(transport, methodWithCodec(method, codec), options) as never, options.use),
      enumerable: true,
    });
  }
  // A symbol cannot collide with an RPC name, and without it the
  // prototype-less stub throws in String(client) or a template string.
  Object.defineProperty(stub, Symbol.toPrimitive, { value: () => describeClient(definition, transport) });
  transports.set(stub, transport);
  return stub as ServiceClient<S>;
}

/** How a client reads in logs, e.g. `[pkg.EchoService client for dns:127.0.0.1:50051]`. */
function describeClient(definition: ServiceDefinition, transport: Transport): string {
  const first = Object.values(definition)[0];
  const service = first === undefined ? "service" : first.path.slice(1, first.path.lastIndexOf("/"));
  return `[${service} client for ${transport.target}]`;
}

/** Closes the transport (for grpc-js: the channel) behind a client created by `createClient`. */
export function closeClient(stub: object): void {
  transportOf(stub).close();
}

/** The transport behind a client created by `createClient`; throws for any other object. */
export function transportOf(stub: object): Transport {
  const transport = transports.get(stub);
  if (transport === undefined) {
    throw new TypeError("not a client created by @stubwright/runtime");
  }
  return transport;
}

/** Makes a call of `method` whose start is fixed already (see `startCall`). */
function createMethod(transport: Transport, method: MethodDefinition, defaults: ClientOptions): unknown {
  switch (method.kind) {
    case "unary":
      return (request: never, options: CallOptions, start: CallStart) => callUnary(transport, method, request, options, defaults, start);
    case "server_streaming":
      return (request: never, options: CallOptions, start: CallStart) => callServerStreaming(transport, method, request, options, defaults, start);
    case "client_streaming":
      return (requests: AsyncIterable<never>, options: CallOptions, start: CallStart) =>
        callClientStreaming(transport, method, requests, options, defaults, start);
    case "bidi_streaming":
      return (requests: AsyncIterable<never>, options: CallOptions, start: CallStart) =>
        callBidiStreaming(transport, method, requests, options, defaults, start);
  }
}
