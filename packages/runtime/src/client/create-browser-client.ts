import { protobufEsCodec } from "../codec/protobuf-es-codec.js";
import { resolvePortableCodec } from "../codec/resolve-portable-codec.js";
import type { ServiceLike } from "../service-from-descriptor.js";
import { isTransport } from "../transports/transport.js";
import { createClientStub, type ServiceClient } from "./client-stub.js";
import type { ClientOptions } from "./client-options.js";
import type { ClientSource } from "./create-client.js";

/**
 * `createClient` as bundlers resolve it for a browser (the `browser`
 * condition of `@stubwright/runtime/codegenv1`): it takes only a transport,
 * such as `createConnectTransport(...)` or `createGrpcWebTransport(...)` of
 * `@stubwright/runtime/web`, so a browser bundle never contains grpc-js.
 */
export function createClient<S extends ServiceLike>(service: S, source: ClientSource, options: ClientOptions = {}): ServiceClient<S> {
  if (!isTransport(source)) {
    throw new TypeError(
      "In a browser, a client needs a transport: pass createConnectTransport({ baseUrl }) or createGrpcWebTransport({ baseUrl }) from @stubwright/runtime/web instead of an address or a grpc-js object",
    );
  }
  return createClientStub(service, source, resolvePortableCodec(options.codec, protobufEsCodec), options);
}
