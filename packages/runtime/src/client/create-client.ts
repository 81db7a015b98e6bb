import type { Client } from "@grpc/grpc-js";
import { resolveCodec } from "../codec/resolve-codec.js";
import { toServiceDefinition, type ServiceLike } from "../service-from-descriptor.js";
import { toGrpcClient, type GrpcJsSource } from "../transports/grpc-js/grpc-js-client.js";
import { createGrpcJsTransport, type GrpcJsTransport } from "../transports/grpc-js/grpc-js-transport.js";
import { isTransport, type Transport } from "../transports/transport.js";
import { createClientStub, transportOf, type ServiceClient } from "./client-stub.js";
import type { ClientOptions } from "./client-options.js";

export { closeClient, type ClientMethod, type ServiceClient } from "./client-stub.js";

/**
 * Where a client sends its calls: an address such as `"127.0.0.1:50051"` or
 * `"dns:///api.example.com:443"`, an existing grpc-js `Client` (its channel is
 * shared), or a grpc-js `Channel`; or a list of IP addresses to balance over
 * (with `loadBalancing: "round_robin"`). All of these make a grpc-js
 * transport; a {@link Transport} of any other kind (such as the in-memory one
 * of `@stubwright/runtime/testing`, or the fetch transports of
 * `@stubwright/runtime/web`) is used as it is.
 */
export type ClientSource = GrpcJsSource | Transport;

/**
 * Creates a typed client for `service`: a protoc-gen-es `GenService` such as
 * `FooService`, or a definition such as the generated `FooServiceDefinition`.
 * Generated code wraps this in a named factory (`createFooServiceClient`)
 * returning a documented interface.
 *
 * The stub object carries only the RPC methods, so no RPC name can collide
 * with a helper; use `closeClient` and {@link getGrpcClient} for the rest.
 */
export function createClient<S extends ServiceLike>(service: S, source: ClientSource, options: ClientOptions = {}): ServiceClient<S> {
  const transport = isTransport(source) ? source : createGrpcJsTransport(toGrpcClient(source, options, toServiceDefinition(service)), options.interceptors);
  return createClientStub(service, transport, resolveCodec(options.codec), options);
}

/** The grpc-js `Client` behind a Stubwright client, for low-level access; throws for a client on another transport. */
export function getGrpcClient(stub: object): Client {
  const transport = transportOf(stub) as Partial<GrpcJsTransport>;
  if (transport.client === undefined) {
    throw new TypeError(`not a client over grpc-js (its transport is ${transportOf(stub).target})`);
  }
  return transport.client;
}
