import { protoInt64, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { getTextEncoding } from "@bufbuild/protobuf/wire";
import { unsupportedFields, unsupportedHost } from "./codec-support.js";
import { emitDecoder } from "./emit-decoder.js";
import { emitEncoder } from "./emit-encoder.js";
import { messageTemplate, type MessageTemplate } from "./message-shape.js";
import { protobufEsEncode } from "./protobuf-es-codec.js";
import { runtimeSource } from "./runtime-source.js";

/** A codec compiled for one message type (and every type it reaches). */
export interface CompiledCodec<S extends DescMessage> {
  /**
   * Encodes into one exactly-sized Buffer. A message holding a value the
   * compiled code does not write as protobuf-es would (one protobuf-es
   * coerces or rejects) is encoded by protobuf-es's `toBinary` instead,
   * which also throws protobuf-es's own error for an invalid message.
   */
  encode(message: MessageShape<S>): Buffer;
  /** Decodes a whole buffer into a new message; throws for malformed input. */
  decode(bytes: Uint8Array): MessageShape<S>;
}

/**
 * The outcome of compiling a type: its codec and a second instance of the
 * same code for the self-check, or why the compiler leaves the type to
 * protobuf-es. The self-check runs on an instance of its own because the
 * JIT specializes code for the objects it has seen: probe messages seen by
 * the codec in use would make it several times slower on real ones.
 */
export type Compilation<S extends DescMessage> =
  | { readonly codec: CompiledCodec<S>; readonly selfCheckCodec: CompiledCodec<S> }
  | { readonly unsupported: string };

/**
 * Compiles specialized encode/decode functions for a message type from its
 * protobuf-es descriptor, as JavaScript source evaluated once with
 * `new Function`. A type is unsupported when the host is big-endian, when it
 * or a type it reaches has a field the compiler does not know (see
 * codec-support.ts) or `create()` returns a message shape it does not
 * recognise, or when the source cannot be evaluated (e.g. `eval` is
 * disallowed).
 */
export function compileCodec<S extends DescMessage>(schema: S): Compilation<S> {
  const host = unsupportedHost();
  if (host !== undefined) return { unsupported: host };
  const types: DescMessage[] = [];
  const templates: MessageTemplate[] = [];
  const groups = new Set<number>();
  const constants: unknown[] = [];
  const indexOf = (desc: DescMessage): number => {
    let i = types.indexOf(desc);
    if (i < 0) {
      i = types.push(desc) - 1;
    }
    return i;
  };
  indexOf(schema);
  const parts: string[] = [];
  const ctx = {
    indexOf,
    hasPrototype: (desc: DescMessage) => templates[indexOf(desc)]?.prototype !== undefined,
    groupDecoder: (desc: DescMessage) => {
      const i = indexOf(desc);
      groups.add(i);
      return i;
    },
    constant: (value: unknown) => `K[${constants.push(value) - 1}]`,
  };
  // Types are registered while their referrers are emitted: walk until done.
  for (let i = 0; i < types.length; i++) {
    const desc = types[i]!;
    const fields = unsupportedFields(desc);
    if (fields !== undefined) return { unsupported: fields };
    const template = messageTemplate(desc);
    if (typeof template === "string") return { unsupported: template };
    templates[i] = template;
    parts.push(`function mk${i}() { return ${template.expression.replace("PROTO", `PR[${i}]`)}; }`);
    parts.push(emitEncoder(desc, i, ctx));
    parts.push(emitDecoder(desc, i, ctx, false));
  }
  for (const i of groups) {
    parts.push(emitDecoder(types[i]!, i, ctx, true));
  }
  const source = `${runtimeSource}
${parts.join("\n")}
function encode(m) {
  SI = 0;
  const n = s0(m);
  if (n < 0) return encodeWithProtobufEs(m);
  // Exactly sized and not zero-filled; below 4 KiB a slice of Node's shared
  // pool, which is fine because grpc-js copies the bytes into its frame at once.
  const b = Buffer.allocUnsafe(n);
  SI = 0;
  if (w0(m, b, 0) !== n) throw new Error("stubwright codec: size mismatch for ${schema.typeName}");
  return b;
}
function decode(u) {
  begin(u);
  try {
    return d0(u.length, 0, undefined);
  } finally {
    end();
  }
}
return { encode, decode };`;
  const args = {
    protoInt64,
    decodeUtf8,
    encodeWithProtobufEs: (message: MessageShape<S>) => protobufEsEncode(schema, message),
    EMPTY: new Uint8Array(0),
    EMPTY_BUFFER: Buffer.alloc(0),
    PR: templates.map((t) => t.prototype),
    K: constants,
    HAS: Object.prototype.hasOwnProperty,
  };
  try {
    const instantiate = (text: string) => (new Function(...Object.keys(args), text) as (...values: unknown[]) => CompiledCodec<S>)(...Object.values(args));
    // The comment keeps the two sources, and so any code V8 caches for them, apart.
    return { codec: instantiate(source), selfCheckCodec: instantiate(`${source}\n// self-check`) };
  } catch (error) {
    return { unsupported: `the generated code does not evaluate: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * UTF-8 decoding by the loaded protobuf-es's own text encoding, which its
 * BinaryReader uses: versions differ on a leading U+FEFF (kept or dropped) and
 * on invalid input (replaced, or thrown for strict fields).
 */
function decodeUtf8(bytes: Uint8Array, strict: boolean): string {
  return getTextEncoding().decodeUtf8(bytes, strict);
}
