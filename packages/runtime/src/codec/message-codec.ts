import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { compileCodec, type CompiledCodec } from "./compile-codec.js";

/**
 * Binary encoding and decoding of one message type, with protobuf-es's
 * bytes and types: specialized code compiled on first use, and protobuf-es's
 * own codec for whatever the compiled code leaves to it.
 */
export interface MessageCodec<S extends DescMessage> {
  /** Encodes to one exactly-sized Buffer, byte-identical to `toBinary`. */
  encode(message: MessageShape<S>): Buffer;
  /** Decodes like `fromBinary` (its errors for malformed input included). */
  decode(bytes: Uint8Array): MessageShape<S>;
  /** Whether the type has compiled code (false: protobuf-es does all the work). */
  readonly compiled: boolean;
}

const codecs = new WeakMap<DescMessage, MessageCodec<DescMessage>>();

/**
 * Returns the codec of a message type, compiling it on first use (once per
 * descriptor, so a process with many generated services compiles only the
 * types it actually sends or receives).
 */
export function getMessageCodec<S extends DescMessage>(schema: S): MessageCodec<S> {
  let codec = codecs.get(schema) as MessageCodec<S> | undefined;
  if (codec === undefined) {
    codec = createMessageCodec(schema, compileCodec(schema));
    codecs.set(schema, codec as unknown as MessageCodec<DescMessage>);
  }
  return codec;
}

function createMessageCodec<S extends DescMessage>(schema: S, compiled: CompiledCodec<S> | undefined): MessageCodec<S> {
  if (compiled === undefined) {
    return { encode: (message) => protobufEsEncode(schema, message), decode: (bytes) => fromBinary(schema, bytes), compiled: false };
  }
  return {
    compiled: true,
    encode(message) {
      try {
        return compiled.encode(message);
      } catch {
        // An unusual value (or a genuine error): protobuf-es encodes it, or
        // throws its own, well-worded error.
        return protobufEsEncode(schema, message);
      }
    },
    decode(bytes) {
      try {
        return compiled.decode(bytes);
      } catch {
        // Non-canonical or malformed input: protobuf-es's rules decide.
        return fromBinary(schema, bytes);
      }
    },
  };
}

/** protobuf-es's toBinary, wrapped as a Buffer without copying. */
export function protobufEsEncode<S extends DescMessage>(schema: S, message: MessageShape<S>): Buffer {
  const bytes = toBinary(schema, message);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
