import type { DescMessage } from "@bufbuild/protobuf";
import { compiledCodec, type Codec, type MessageCodec } from "@stubwright/runtime/codec";

/**
 * Whether each request message arrived compressed (the gRPC message's
 * "compressed flag"), for the interop feature CompressedRequest
 * (`expect_compressed`).
 *
 * grpc-js's server (1.14) decompresses before any application code runs and
 * exposes neither the per-message flag nor the call's `grpc-encoding` header
 * (it strips that from the handler's metadata). What it does expose is the
 * buffer it hands to the method's request deserializer, and that differs
 * observably: an uncompressed message is passed as a view into the received
 * frame, directly behind the frame's 5-byte prefix (flag 0, 32-bit big-endian
 * length), while an inflated message is a buffer of its own. The interop
 * tests check this inference in both directions, so a grpc-js change that
 * breaks it fails the suite instead of passing silently.
 */
const compressedMessages = new WeakMap<object, boolean>();

/** Infers from the deserializer's input whether the message was compressed on the wire. */
export function arrivedCompressed(bytes: Uint8Array): boolean {
  if (bytes.byteOffset < 5) {
    return true;
  }
  const prefix = new DataView(bytes.buffer, bytes.byteOffset - 5, 5);
  const isOwnFramePrefix = prefix.getUint8(0) === 0 && prefix.getUint32(1) === bytes.byteLength;
  return !isOwnFramePrefix;
}

/**
 * Wraps `base` (default: the compiled codec) so that every message it decodes
 * records whether it arrived compressed; read it with {@link wasCompressed}.
 * A server uses it as its codec, so the record is made on the buffer grpc-js
 * hands the server's request deserializer.
 */
export function trackRequestCompression(base: Codec = compiledCodec): Codec {
  return {
    name: `${base.name}, tracking request compression`,
    messageCodec<S extends DescMessage>(schema: S): MessageCodec<S> {
      const codec = base.messageCodec(schema);
      return {
        encode: (message) => codec.encode(message),
        decode(bytes) {
          const message = codec.decode(bytes);
          compressedMessages.set(message, arrivedCompressed(bytes));
          return message;
        },
      };
    },
  };
}

/**
 * Whether a request decoded by a codec from {@link trackRequestCompression}
 * arrived compressed; `undefined` for a message that did not come off the wire.
 */
export function wasCompressed(message: object): boolean | undefined {
  return compressedMessages.get(message);
}
