import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { asNodeBuffer } from "../node-buffer.js";
import type { Codec } from "./codec.js";

/** protobuf-es's `toBinary`, on Node wrapped as a Buffer without copying (grpc-js sends Buffers). */
export function protobufEsEncode<S extends DescMessage>(schema: S, message: MessageShape<S>): Uint8Array {
  return asNodeBuffer(toBinary(schema, message));
}

/** protobuf-es's own codec: `toBinary` and `fromBinary`. */
export const protobufEsCodec: Codec = {
  name: "protobuf-es",
  messageCodec: (schema) => ({
    encode: (message) => protobufEsEncode(schema, message),
    decode: (bytes) => fromBinary(schema, bytes),
  }),
};
