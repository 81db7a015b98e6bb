import type { DescMessage } from "@bufbuild/protobuf";
import type { Codec, MessageCodec } from "./codec.js";
import { compileCodec } from "./compile-codec.js";
import { warnCodecFallback } from "./fallback-warning.js";
import { protobufEsCodec } from "./protobuf-es-codec.js";
import { selfCheck } from "./self-check.js";

const selected = new WeakMap<DescMessage, MessageCodec<DescMessage>>();

/**
 * The codec a message type gets, decided once per type (its descriptor):
 * the compiled one when the type compiles and passes the self-check, else
 * protobuf-es's, with a process warning saying why.
 */
function selectCodec<S extends DescMessage>(schema: S): MessageCodec<S> {
  let codec = selected.get(schema) as MessageCodec<S> | undefined;
  if (codec === undefined) {
    codec = decide(schema);
    selected.set(schema, codec as unknown as MessageCodec<DescMessage>);
  }
  return codec;
}

function decide<S extends DescMessage>(schema: S): MessageCodec<S> {
  const compilation = compileCodec(schema);
  const reason = "codec" in compilation ? selfCheck(schema, compilation.selfCheckCodec) : compilation.unsupported;
  if (reason === undefined && "codec" in compilation) return compilation.codec;
  warnCodecFallback(schema.typeName, reason ?? "unknown");
  return protobufEsCodec.messageCodec(schema);
}

/**
 * Stubwright's compiled codec: encoders and decoders generated per message
 * type from its descriptor, byte-identical to protobuf-es (see README.md in
 * this folder). A type is compiled and checked on its first message, not
 * when a client or server is created.
 */
export const compiledCodec: Codec = {
  name: "compiled",
  messageCodec<S extends DescMessage>(schema: S): MessageCodec<S> {
    let codec: MessageCodec<S> | undefined;
    const selected = (): MessageCodec<S> => {
      codec ??= selectCodec(schema);
      return codec;
    };
    return {
      encode: (message) => selected().encode(message),
      decode: (bytes) => selected().decode(bytes),
    };
  },
};
