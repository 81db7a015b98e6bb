import {
  create,
  fromBinary,
  isMessage,
  toBinary,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";

/** Encodes a message (or its init shape) for grpc-js. */
export type Serializer<S extends DescMessage> = (value: MessageInitShape<S>) => Buffer;

/** Decodes a message received by grpc-js. */
export type Deserializer<S extends DescMessage> = (bytes: Buffer) => MessageShape<S>;

/**
 * Creates the serializer grpc-js calls for every outgoing message. It accepts
 * a message or a plain init object, so handlers and callers may return or pass
 * either. The encoded bytes are wrapped as a Buffer without copying.
 */
export function createSerializer<S extends DescMessage>(schema: S): Serializer<S> {
  return (value) => {
    const message = isMessage(value, schema) ? value : create(schema, value);
    const bytes = toBinary(schema, message);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

/**
 * Creates the deserializer grpc-js calls for every incoming message. A throw
 * here is turned into INTERNAL by grpc-js, as the gRPC spec requires for a
 * message that does not parse.
 */
export function createDeserializer<S extends DescMessage>(schema: S): Deserializer<S> {
  return (bytes) => fromBinary(schema, bytes);
}
