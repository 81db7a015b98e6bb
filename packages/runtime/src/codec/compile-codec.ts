import { protoInt64, type DescField, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { endianness } from "node:os";
import { emitDecoder } from "./emit-decoder.js";
import { emitEncoder } from "./emit-encoder.js";
import { messageTemplate, type MessageTemplate } from "./message-shape.js";
import { runtimeSource } from "./runtime-source.js";

/**
 * A codec compiled for one message type (and every type it reaches).
 * `encode` and `decode` throw {@link FALLBACK} for input they leave to
 * protobuf-es (a value protobuf-es would coerce or reject, a field on the
 * wire with an unexpected wire type); other errors mean malformed input.
 */
export interface CompiledCodec<S extends DescMessage> {
  /** Encodes into one exactly-sized Buffer. */
  encode(message: MessageShape<S>): Buffer;
  /** Decodes a whole buffer into a new message. */
  decode(bytes: Uint8Array): MessageShape<S>;
}

/** Thrown by compiled codecs to hand a message over to protobuf-es. */
export const FALLBACK: unique symbol = Symbol("stubwright.codec.fallback");

const is64Bit = new Set([3, 4, 6, 16, 18]); // INT64, UINT64, FIXED64, SFIXED64, SINT64

/**
 * Compiles specialized encode/decode functions for a message type from its
 * protobuf-es descriptor, as JavaScript source evaluated once with
 * `new Function`. Returns undefined for types the compiler leaves to
 * protobuf-es: 64-bit fields when BigInt is unavailable, a big-endian host,
 * and message shapes it does not recognise.
 */
export function compileCodec<S extends DescMessage>(schema: S): CompiledCodec<S> | undefined {
  if (endianness() !== "LE") return undefined;
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
    const template = messageTemplate(desc);
    if (template === undefined || !isSupported(desc)) return undefined;
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
  // Exactly sized and not zero-filled. Below 4 KiB a slice of Node's shared
  // pool (Buffer.allocUnsafe): grpc-js copies the bytes into its frame at
  // once, so the slice is short-lived, and a backing store of its own per
  // message (allocUnsafeSlow) cost a fifth of encoding the benchmark's Order
  // (BENCHMARKS.md, 2026-11-23 afternoon: 2.4x protobuf-es with it, 2.9-3.5x
  // without; ping-pong and unary end to end unchanged within the noise).
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
  const factory = new Function("protoInt64", "bail", "decodeUtf8", "EMPTY", "EMPTY_BUFFER", "PR", "K", "HAS", source);
  return factory(
    protoInt64,
    bail,
    decodeUtf8,
    new Uint8Array(0),
    Buffer.alloc(0),
    templates.map((t) => t.prototype),
    constants,
    Object.prototype.hasOwnProperty,
  ) as CompiledCodec<S>;
}

function bail(): never {
  throw FALLBACK;
}

const lenientDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** UTF-8 decoding exactly as protobuf-es does it (strict: invalid input throws). */
function decodeUtf8(bytes: Uint8Array, strict: boolean): string {
  return strict ? strictDecoder.decode(bytes) : lenientDecoder.decode(bytes);
}

function isSupported(desc: DescMessage): boolean {
  return desc.fields.every((field) => protoInt64.supported || !has64BitValue(field));
}

function has64BitValue(field: DescField): boolean {
  switch (field.fieldKind) {
    case "scalar":
      return is64Bit.has(field.scalar);
    case "list":
      return field.listKind === "scalar" && is64Bit.has(field.scalar);
    case "map":
      return is64Bit.has(field.mapKey) || (field.mapKind === "scalar" && is64Bit.has(field.scalar));
    default:
      return false;
  }
}
