import type { Codec, CodecChoice } from "./codec.js";
import { protobufEsCodec } from "./protobuf-es-codec.js";

/**
 * The codec a `codec` option names, with `compiled` standing for "compiled"
 * and the default. A browser passes protobuf-es's codec there: the compiled
 * codec generates code at run time (which a page's Content-Security-Policy
 * may forbid) and relies on Node's Buffer, and it falls back to protobuf-es
 * wherever it cannot run anyway; importing this module alone keeps it out of
 * a bundle.
 */
export function resolvePortableCodec(choice: CodecChoice | undefined, compiled: Codec): Codec {
  if (choice === undefined || choice === "compiled") return compiled;
  if (choice === "protobuf-es") return protobufEsCodec;
  if (typeof choice === "object" && choice !== null && typeof choice.messageCodec === "function") return choice;
  throw new TypeError(`codec must be "compiled", "protobuf-es" or a Codec object, got ${JSON.stringify(choice) ?? String(choice)}`);
}
