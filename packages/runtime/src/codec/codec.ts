import type { DescMessage, MessageShape } from "@bufbuild/protobuf";

/** Binary encoding and decoding of one message type. */
export interface MessageCodec<S extends DescMessage = DescMessage> {
  /** Encodes a message (never a plain init object: the runtime creates the message first). */
  encode(message: MessageShape<S>): Uint8Array;
  /** Decodes a whole message; throws for input that is not a valid encoding. */
  decode(bytes: Uint8Array): MessageShape<S>;
}

/**
 * How a client or server turns messages into bytes and back. `messageCodec`
 * is called once per message type and method, when the client or server
 * first needs the type; the codec it returns does the per-message work.
 */
export interface Codec {
  /** A name for diagnostics, e.g. `"compiled"`. */
  readonly name: string;
  /** The codec of one message type. */
  messageCodec<S extends DescMessage>(schema: S): MessageCodec<S>;
}

/**
 * The codec a client or server uses: `"compiled"` (the default) —
 * Stubwright's code specialized per message type, byte-identical to
 * protobuf-es; `"protobuf-es"` — protobuf-es's `toBinary` / `fromBinary`;
 * or a {@link Codec} of your own.
 */
export type CodecChoice = "compiled" | "protobuf-es" | Codec;
