import type { MethodDefinition, ServiceDefinition } from "../../method-definition.js";

/**
 * The definition grpc-js serves when responses are handed to it serialized:
 * the same methods, with a response serializer that passes the Buffers the
 * server dispatcher made through (so each message is serialized once, by the
 * runtime, which sees a failure and, for streams, needs the size; see
 * `createResponseEncoder` and `createResponseWriter`).
 */
export function preSerializedDefinition(definition: ServiceDefinition): ServiceDefinition {
  // A null-prototype object, so a method named "__proto__" stays a method.
  const served = Object.create(null) as Record<string, MethodDefinition>;
  for (const [name, method] of Object.entries(definition)) {
    served[name] = { ...method, responseSerialize: passBytes };
  }
  return served;
}

function passBytes(bytes: unknown): Buffer {
  return bytes as Buffer;
}
