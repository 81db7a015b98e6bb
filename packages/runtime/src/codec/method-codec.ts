import type { MethodDefinition, ServiceDefinition } from "../method-definition.js";
import type { Codec } from "./codec.js";
import { deserializerOf, serializerOf } from "./message-serializers.js";

const byCodec = new WeakMap<Codec, WeakMap<MethodDefinition, MethodDefinition>>();

/**
 * A method as a client or server using `codec` hands it to grpc-js: the same
 * definition with that codec's serializers, made once per codec and method.
 */
export function methodWithCodec<M extends MethodDefinition>(method: M, codec: Codec): M {
  let methods = byCodec.get(codec);
  if (methods === undefined) {
    methods = new WeakMap();
    byCodec.set(codec, methods);
  }
  let wired = methods.get(method);
  if (wired === undefined) {
    wired = {
      ...method,
      requestSerialize: serializerOf(method.requestSchema, codec),
      requestDeserialize: deserializerOf(method.requestSchema, codec),
      responseSerialize: serializerOf(method.responseSchema, codec),
      responseDeserialize: deserializerOf(method.responseSchema, codec),
    };
    methods.set(method, wired);
  }
  return wired as M;
}

/** Every method of a service with `codec`'s serializers (see {@link methodWithCodec}). */
export function serviceWithCodec(definition: ServiceDefinition, codec: Codec): ServiceDefinition {
  // A null-prototype object, so a method named "__proto__" stays a method.
  const wired = Object.create(null) as Record<string, MethodDefinition>;
  for (const [name, method] of Object.entries(definition)) {
    wired[name] = methodWithCodec(method, codec);
  }
  return wired;
}
