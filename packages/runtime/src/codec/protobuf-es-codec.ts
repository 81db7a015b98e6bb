import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { Codec } from "./codec.js";

/** protobuf-es's `toBinary`, wrapped as a Buffer without copying (grpc-js sends Buffers). */
export function protobufEsEncode<S extends DescMessage>(schema: S, message: MessageShape<S>): Buffer {
  const bytes = toBinary(schema, message);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** protobuf-es's own codec: `toBinary` and `fromBinary`. */
export const protobufEsCodec: Codec = {
  name: "protobuf-es",
  messageCodec: (schema) => ({
    encode: (message) => protobufEsEncode(schema, message),
    decode: (bytes) => fromBinary(schema, bytes),
  }),
};
