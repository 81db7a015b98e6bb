import { ScalarType, fromJson, type DescField, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import {
  WIRE_END_GROUP,
  WIRE_LEN,
  WIRE_START_GROUP,
  emitIsNonZero,
  emitScalarSize,
  emitScalarWrite,
  emitTagWrite,
  varintSize,
  wireTypeOf,
} from "./emit-scalar.js";
import { isUnwrappedWrapperField, usesJsonRepresentation } from "./message-shape.js";

// protobuf-es's field presence values (google.protobuf.FeatureSet.FieldPresence).
const IMPLICIT = 2;
const LEGACY_REQUIRED = 3;

/** What the encoder emitter needs from the compilation it is part of. */
export interface EncoderContext {
  /** The index of a message type's compiled functions, registering it on first use. */
  indexOf(desc: DescMessage): number;
  /** Whether messages of the type carry proto2 defaults on a prototype. */
  hasPrototype(desc: DescMessage): boolean;
  /** Registers a constant (e.g. a conversion function) and returns its expression. */
  constant(value: unknown): string;
}

/**
 * For a field whose values protobuf-es stores as JSON objects
 * (google.protobuf.Struct), the statement converting `c` to a Struct message.
 */
function emitToMessage(field: DescField, ctx: EncoderContext): string {
  if (!usesJsonRepresentation(field) || field.message === undefined) return "";
  const desc = field.message;
  return `c = ${ctx.constant((json: JsonValue) => fromJson(desc, json))}(c);`;
}

type Mode = "size" | "write";

/**
 * Emits the two encoder functions of a message type: `s<i>(m)` returns the
 * encoded size and caches nested lengths in S; `w<i>(m, b, p)` writes at p
 * and returns the new position. Fields are written in field-number order,
 * then unknown fields (which include extensions), exactly as toBinary does.
 *
 * The size pass checks every value; for one it does not write as protobuf-es
 * would (a value protobuf-es coerces or rejects, a missing required field, a
 * message of another type), it returns -1 and the whole message is left to
 * protobuf-es. The write pass relies on those checks.
 */
export function emitEncoder(desc: DescMessage, index: number, ctx: EncoderContext): string {
  const sorted = desc.fields.concat().sort((a, b) => a.number - b.number);
  const oneofs = desc.oneofs.map((oneof, i) => `const o${i} = m[${JSON.stringify(oneof.localName)}];`).join("\n");
  // protobuf-es rejects a message of another type in a field, unless the
  // field's type has no fields.
  const typeName = desc.fields.length > 0 ? ` || m.$typeName !== ${JSON.stringify(desc.typeName)}` : "";
  const typeCheck = `if (typeof m !== "object" || m === null${typeName}) return -1;`;
  const body = (mode: Mode): string => sorted.map((field) => emitField(field, desc, mode, ctx)).join("\n");
  return `
function s${index}(m) {
  let n = 0, l = 0, q = 0, i0 = 0, v, c, k, kk, ks, key;
  ${typeCheck}
  ${oneofs}
  ${body("size")}
  const u = m.$unknown;
  if (u !== undefined) n += sunk(u);
  return n;
}
function w${index}(m, b, p) {
  let l = 0, v, c, k, kk, ks, key;
  ${oneofs}
  ${body("write")}
  const u = m.$unknown;
  if (u !== undefined) p = wunk(b, p, u);
  return p;
}`;
}

function emitField(field: DescField, parent: DescMessage, mode: Mode, ctx: EncoderContext): string {
  const name = JSON.stringify(field.localName);
  switch (field.fieldKind) {
    case "scalar":
    case "enum":
    case "message": {
      const value = emitSingularValue(field, "v", mode, ctx);
      if (field.oneof !== undefined) {
        const o = `o${parent.oneofs.indexOf(field.oneof)}`;
        return `if (${o}.case === ${name}) { v = ${o}.value; ${value} }`;
      }
      if (field.presence !== IMPLICIT) {
        const own = ctx.hasPrototype(parent) ? ` && HAS.call(m, ${name})` : "";
        const required = field.presence === LEGACY_REQUIRED && mode === "size" ? ` else return -1;` : "";
        return `v = m[${name}]; if (v !== undefined${own}) { ${value} }${required}`;
      }
      const nonZero =
        field.fieldKind === "enum" ? `v !== ${field.enum.values[0]?.number ?? 0}` : emitIsNonZero((field as DescField & { fieldKind: "scalar" }).scalar, "v");
      return `v = m[${name}]; if (${nonZero}) { ${value} }`;
    }
    case "list":
      return emitList(field, mode, ctx, name);
    case "map":
      return emitMap(field, mode, ctx, name);
  }
}

/** Encodes a singular value held in `v` (tag included). */
function emitSingularValue(field: DescField, v: string, mode: Mode, ctx: EncoderContext): string {
  if (field.fieldKind === "message") {
    const j = ctx.indexOf(field.message);
    const child = isUnwrappedWrapperField(field)
      ? `c = mk${j}(); c[${JSON.stringify(field.message.fields[0]!.localName)}] = ${v};`
      : `c = ${v}; ${emitToMessage(field, ctx)}`;
    return `${child} ${emitChild(field.number, j, field.delimitedEncoding, "c", mode)}`;
  }
  const type = field.fieldKind === "enum" ? ScalarType.INT32 : (field as DescField & { fieldKind: "scalar" }).scalar;
  return emitTaggedScalar(field.number, type, v, mode);
}

function emitTaggedScalar(fieldNo: number, type: ScalarType, v: string, mode: Mode): string {
  const wireType = wireTypeOf(type);
  if (mode === "size") return `n += ${varintSize(((fieldNo << 3) | wireType) >>> 0)}; ${emitScalarSize(type, v)}`;
  return `${emitTagWrite(fieldNo, wireType)} ${emitScalarWrite(type, v)}`;
}

/** Encodes a message value held in `c`, length-prefixed or as a group. */
function emitChild(fieldNo: number, j: number, delimited: boolean, c: string, mode: Mode): string {
  if (delimited) {
    if (mode === "size") return `l = s${j}(${c}); if (l < 0) return -1; n += ${2 * varintSize(((fieldNo << 3) | WIRE_START_GROUP) >>> 0)} + l;`;
    return `${emitTagWrite(fieldNo, WIRE_START_GROUP)} p = w${j}(${c}, b, p); ${emitTagWrite(fieldNo, WIRE_END_GROUP)}`;
  }
  if (mode === "size") {
    return `i0 = SI++; l = s${j}(${c}); if (l < 0) return -1; S[i0] = l; n += ${varintSize(((fieldNo << 3) | WIRE_LEN) >>> 0)} + vs32(l) + l;`;
  }
  return `${emitTagWrite(fieldNo, WIRE_LEN)} l = S[SI++]; p = wv32(b, p, l); p = w${j}(${c}, b, p);`;
}

function emitList(field: DescField & { fieldKind: "list" }, mode: Mode, ctx: EncoderContext, name: string): string {
  const loop = (body: string) => `v = m[${name}]; for (k = 0; k < v.length; k++) { c = v[k]; ${body} }`;
  if (field.listKind === "message") {
    const j = ctx.indexOf(field.message);
    return loop(`${emitToMessage(field, ctx)} ${emitChild(field.number, j, field.delimitedEncoding, "c", mode)}`);
  }
  const type = field.listKind === "enum" ? ScalarType.INT32 : field.scalar;
  if (!field.packed) return loop(emitTaggedScalar(field.number, type, "c", mode));
  // Packed: one length-delimited record; its payload size is cached in S.
  const tagSize = varintSize(((field.number << 3) | WIRE_LEN) >>> 0);
  if (mode === "size") {
    const itemSize = emitScalarSize(type, "c").replace(/\bn \+=/g, "q +=");
    return `v = m[${name}]; if (v.length > 0) { i0 = SI++; q = 0; for (k = 0; k < v.length; k++) { c = v[k]; ${itemSize} } S[i0] = q; n += ${tagSize} + vs32(q) + q; }`;
  }
  return `v = m[${name}]; if (v.length > 0) { ${emitTagWrite(field.number, WIRE_LEN)} l = S[SI++]; p = wv32(b, p, l); for (k = 0; k < v.length; k++) { c = v[k]; ${emitScalarWrite(type, "c")} } }`;
}

/**
 * Map keys are object keys (strings): convert like protobuf-es's toBinary.
 * 64-bit keys stay strings, which the 64-bit conversion parses. A key
 * protobuf-es would not convert leaves the message to protobuf-es.
 */
function emitKeyConversion(type: ScalarType, mode: Mode): string {
  switch (type) {
    case ScalarType.BOOL:
      return mode === "size" ? `if (kk !== "true" && kk !== "false") return -1; key = kk === "true";` : `key = kk === "true";`;
    case ScalarType.STRING:
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return `key = kk;`;
    default:
      return mode === "size" ? `key = Number.parseInt(kk); if (!Number.isFinite(key)) return -1;` : `key = Number.parseInt(kk);`;
  }
}

function emitMap(field: DescField & { fieldKind: "map" }, mode: Mode, ctx: EncoderContext, name: string): string {
  const keyType = field.mapKey;
  const head = `v = m[${name}]; ks = Object.keys(v); for (k = 0; k < ks.length; k++) { kk = ks[k]; c = v[kk]; ${emitKeyConversion(keyType, mode)} ${emitToMessage(field, ctx)}`;
  const tagSize = varintSize(((field.number << 3) | WIRE_LEN) >>> 0);
  if (field.mapKind === "message") {
    const j = ctx.indexOf(field.message);
    if (mode === "size") {
      // Reserve the entry's slot before the nested ones (pre-order).
      const keySize = emitScalarSize(keyType, "key").replace(/\bn \+=/g, "q +=");
      return `${head} const e0 = SI++; q = 2; ${keySize} i0 = SI++; l = s${j}(c); if (l < 0) return -1; S[i0] = l; q += vs32(l) + l; S[e0] = q; n += ${tagSize} + vs32(q) + q; }`;
    }
    return `${head} ${emitTagWrite(field.number, WIRE_LEN)} l = S[SI++]; p = wv32(b, p, l); ${emitTagWrite(1, wireTypeOf(keyType))} ${emitScalarWrite(keyType, "key")} ${emitTagWrite(2, WIRE_LEN)} l = S[SI++]; p = wv32(b, p, l); p = w${j}(c, b, p); }`;
  }
  const valueType = field.mapKind === "enum" ? ScalarType.INT32 : field.scalar;
  if (mode === "size") {
    const keySize = emitScalarSize(keyType, "key").replace(/\bn \+=/g, "q +=");
    const valueSize = emitScalarSize(valueType, "c").replace(/\bn \+=/g, "q +=");
    return `${head} i0 = SI++; q = 2; ${keySize} ${valueSize} S[i0] = q; n += ${tagSize} + vs32(q) + q; }`;
  }
  return `${head} ${emitTagWrite(field.number, WIRE_LEN)} l = S[SI++]; p = wv32(b, p, l); ${emitTagWrite(1, wireTypeOf(keyType))} ${emitScalarWrite(keyType, "key")} ${emitTagWrite(2, wireTypeOf(valueType))} ${emitScalarWrite(valueType, "c")} }`;
}
