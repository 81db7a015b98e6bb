import type { Codec, CodecChoice } from "./codec.js";
import { compiledCodec } from "./compiled-codec.js";
import { resolvePortableCodec } from "./resolve-portable-codec.js";

/** The codec a `codec` option names; the compiled codec when it is undefined. */
export function resolveCodec(choice: CodecChoice | undefined): Codec {
  return resolvePortableCodec(choice, compiledCodec);
}
