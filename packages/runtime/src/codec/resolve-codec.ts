import type { Codec, CodecChoice } from "./codec.js";
import { compiledCodec } from "./compiled-codec.js";
import { protobufEsCodec } from "./protobuf-es-codec.js";

/** The codec a `codec` option names; the compiled codec when it is undefined. */
export function resolveCodec(choice: CodecChoice | undefined): Codec {
  if (choice === undefined || choice === "compiled") return compiledCodec;
  if (choice === "protobuf-es") return protobufEsCodec;
  if (typeof choice === "object" && choice !== null && typeof choice.messageCodec === "function") return choice;
  throw new TypeError(`codec must be "compiled", "protobuf-es" or a Codec object, got ${JSON.stringify(choice) ?? String(choice)}`);
}
