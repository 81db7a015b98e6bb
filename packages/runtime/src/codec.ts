import {
  create,
  fromBinary,
  isMessage,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import { getCodecMode } from "./codec/codec-mode.js";
import { getMessageCodec, protobufEsEncode, type MessageCodec } from "./codec/message-codec.js";

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
  // Compiled on the first message, not when generated code is imported.
  let codec: MessageCodec<S> | undefined;
  return (value) => {
    const message = isMessage(value, schema) ? value : create(schema, value);
    if (getCodecMode() !== "compiled") return protobufEsEncode(schema, message);
    return (codec ??= getMessageCodec(schema)).encode(message);
  };
}

/**
 * Creates the deserializer grpc-js calls for every incoming message. A throw
 * here is turned into INTERNAL by grpc-js, as the gRPC spec requires for a
 * message that does not parse.
 */
export function createDeserializer<S extends DescMessage>(schema: S): Deserializer<S> {
  let codec: MessageCodec<S> | undefined;
  return (bytes) => (getCodecMode() === "compiled" ? (codec ??= getMessageCodec(schema)).decode(bytes) : fromBinary(schema, bytes));
}
