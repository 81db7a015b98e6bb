import {
  create,
  fromBinary,
  isMessage,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import { getCodecMode } from "./codec/codec-mode.js";
import { getMessageCodec, protobufEsEncode } from "./codec/message-codec.js";

/** Encodes a message (or its init shape) for grpc-js. */
export type Serializer<S extends DescMessage> = (value: MessageInitShape<S>) => Buffer;

/** Decodes a message received by grpc-js. */
export type Deserializer<S extends DescMessage> = (bytes: Buffer) => MessageShape<S>;

/**
 * Creates the serializer grpc-js calls for every outgoing message. It accepts
 * a message or a plain init object, so handlers and callers may return or pass
 * either. The compiled codec (see codec/README.md) writes one exactly-sized
 * Buffer that grpc-js takes as is; `setCodecMode("protobuf-es")` switches to
 * toBinary, whose bytes are wrapped as a Buffer without copying.
 */
export function createSerializer<S extends DescMessage>(schema: S): Serializer<S> {
  return (value) => {
    const message = isMessage(value, schema) ? value : create(schema, value);
    return getCodecMode() === "compiled" ? getMessageCodec(schema).encode(message) : protobufEsEncode(schema, message);
  };
}

/**
 * Creates the deserializer grpc-js calls for every incoming message. A throw
 * here is turned into INTERNAL by grpc-js, as the gRPC spec requires for a
 * message that does not parse.
 */
export function createDeserializer<S extends DescMessage>(schema: S): Deserializer<S> {
  return (bytes) => (getCodecMode() === "compiled" ? getMessageCodec(schema).decode(bytes) : fromBinary(schema, bytes));
}
