import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { CodecChoice } from "./codec.js";
import { deserializerOf, serializerOf } from "./message-serializers.js";
import { resolveCodec } from "./resolve-codec.js";

/** Encodes a message (or its init shape) for grpc-js. */
export type Serializer<S extends DescMessage> = (value: MessageInitShape<S>) => Buffer;

/** Decodes a message received by grpc-js. */
export type Deserializer<S extends DescMessage> = (bytes: Buffer) => MessageShape<S>;

/**
 * Creates a grpc-js serializer for a message type with a codec (default:
 * the compiled codec). It accepts a message or a plain init object, so
 * handlers and callers may return or pass either; bytes that are not a
 * Buffer are wrapped as one without copying.
 */
export function createSerializer<S extends DescMessage>(schema: S, codec: CodecChoice = "compiled"): Serializer<S> {
  return serializerOf(schema, resolveCodec(codec));
}

/**
 * Creates a grpc-js deserializer for a message type with a codec (default:
 * the compiled codec). A throw here is turned into INTERNAL by grpc-js, as
 * the gRPC spec requires for a message that does not parse.
 */
export function createDeserializer<S extends DescMessage>(schema: S, codec: CodecChoice = "compiled"): Deserializer<S> {
  return deserializerOf(schema, resolveCodec(codec));
}
