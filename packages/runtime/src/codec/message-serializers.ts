import { create, isMessage, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { asNodeBuffer } from "../node-buffer.js";
import type { Codec } from "./codec.js";

/**
 * The serializer of `schema` with a resolved codec: it takes a message or a
 * plain init object, so handlers and callers may return or pass either. On
 * Node the bytes are a Buffer (grpc-js sends only Buffers), wrapped without
 * copying.
 */
export function serializerOf<S extends DescMessage>(schema: S, codec: Codec): (value: MessageInitShape<S>) => Buffer {
  const messageCodec = codec.messageCodec(schema);
  return (value) => asNodeBuffer(messageCodec.encode(isMessage(value, schema) ? value : create(schema, value))) as Buffer;
}

/** The deserializer of `schema` with a resolved codec; it throws for bytes that do not parse. */
export function deserializerOf<S extends DescMessage>(schema: S, codec: Codec): (bytes: Uint8Array) => MessageShape<S> {
  const messageCodec = codec.messageCodec(schema);
  return (bytes) => messageCodec.decode(bytes);
}
