import { ScalarType } from "@bufbuild/protobuf";

/** Wire types, as in the protobuf encoding spec. */
const WIRE_VARINT = 0;
const WIRE_BIT64 = 1;
export const WIRE_LEN = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
const WIRE_BIT32 = 5;

/** The wire type a scalar (or enum, as INT32) value is written with. */
export function wireTypeOf(type: ScalarType): number {
  switch (type) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WIRE_LEN;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WIRE_BIT64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WIRE_BIT32;
    default:
      return WIRE_VARINT;
  }
}

/** Whether repeated values of this type may be packed. */
export function isPackable(type: ScalarType): boolean {
  return type !== ScalarType.STRING && type !== ScalarType.BYTES;
}

/** Byte length of a varint for a uint32 (compile time). */
export function varintSize(x: number): number {
  return x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x200000 ? 3 : x < 0x10000000 ? 4 : 5;
}

/** The statements writing a constant tag: one byte store per varint byte. */
export function emitTagWrite(fieldNo: number, wireType: number): string {
  let x = ((fieldNo << 3) | wireType) >>> 0;
  const bytes: number[] = [];
  while (x > 0x7f) {
    bytes.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  bytes.push(x);
  return bytes.map((byte) => `b[p++] = ${byte};`).join(" ");
}

/** The tag value as it appears in the decoder's switch. */
export function tagOf(fieldNo: number, wireType: number): number {
  return ((fieldNo << 3) | wireType) >>> 0;
}

/**
 * Statements adding the size of scalar value `v` (without tag) to `n`. For a
 * value protobuf-es would reject or coerce, the size function returns -1:
 * the message is then left to protobuf-es, which produces the error (or the
 * coercion) itself.
 */
export function emitScalarSize(type: ScalarType, v: string): string {
  switch (type) {
    case ScalarType.INT32:
      return `if ((${v} | 0) !== ${v}) return -1; n += ${v} < 0 ? 10 : vs32(${v});`;
    case ScalarType.UINT32:
      return `if (${v} >>> 0 !== ${v}) return -1; n += vs32(${v});`;
    case ScalarType.SINT32:
      return `if ((${v} | 0) !== ${v}) return -1; n += vs32(((${v} << 1) ^ (${v} >> 31)) >>> 0);`;
    case ScalarType.FIXED32:
      return `if (${v} >>> 0 !== ${v}) return -1; n += 4;`;
    case ScalarType.SFIXED32:
      return `if ((${v} | 0) !== ${v}) return -1; n += 4;`;
    case ScalarType.FLOAT:
      return `if (typeof ${v} !== "number" || (${v} - ${v} === 0 && Math.fround(${v}) - Math.fround(${v}) !== 0)) return -1; n += 4;`;
    case ScalarType.DOUBLE:
      return `if (typeof ${v} !== "number") return -1; n += 8;`;
    case ScalarType.BOOL:
      return `n += 1;`;
    case ScalarType.INT64:
      return `if (!i64(${v})) return -1; S[SI++] = LO | 0; S[SI++] = HI | 0; n += vs64(LO, HI);`;
    case ScalarType.UINT64:
      return `if (!u64(${v})) return -1; S[SI++] = LO | 0; S[SI++] = HI | 0; n += vs64(LO, HI);`;
    case ScalarType.SINT64:
      return `if (!i64(${v})) return -1; zz64(); S[SI++] = LO | 0; S[SI++] = HI | 0; n += vs64(LO, HI);`;
    case ScalarType.FIXED64:
      return `if (!u64(${v})) return -1; S[SI++] = LO | 0; S[SI++] = HI | 0; n += 8;`;
    case ScalarType.SFIXED64:
      return `if (!i64(${v})) return -1; S[SI++] = LO | 0; S[SI++] = HI | 0; n += 8;`;
    case ScalarType.STRING:
      return `if (typeof ${v} !== "string") return -1; l = utf8Len(${v}); S[SI++] = l; n += vs32(l) + l;`;
    case ScalarType.BYTES:
      return `if (!(${v} instanceof Uint8Array)) return -1; n += vs32(${v}.length) + ${v}.length;`;
  }
}

/** Statements writing scalar value `v` (without tag) at `p` into `b`. */
export function emitScalarWrite(type: ScalarType, v: string): string {
  switch (type) {
    case ScalarType.INT32:
      return `p = wi32(b, p, ${v});`;
    case ScalarType.UINT32:
      return `p = wv32(b, p, ${v});`;
    case ScalarType.SINT32:
      return `p = wv32(b, p, ((${v} << 1) ^ (${v} >> 31)) >>> 0);`;
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return `p = w32(b, p, ${v});`;
    case ScalarType.FLOAT:
      return `p = wf32(b, p, ${v});`;
    case ScalarType.DOUBLE:
      return `p = wf64(b, p, ${v});`;
    case ScalarType.BOOL:
      return `b[p++] = ${v} ? 1 : 0;`;
    // 64-bit values: the sizing pass converted them and cached both halves.
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
      return `p = wv64(b, p, S[SI++] >>> 0, S[SI++] >>> 0);`;
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return `p = w32(b, p, S[SI++]); p = w32(b, p, S[SI++]);`;
    case ScalarType.STRING:
      return `l = S[SI++]; p = wv32(b, p, l); p = wstr(b, p, ${v}, l);`;
    case ScalarType.BYTES:
      return `p = wv32(b, p, ${v}.length); p = wraw(b, p, ${v});`;
  }
}

/**
 * An expression reading one scalar value at P, in protobuf-es's local
 * representation (bigint, or string for `jstype = JS_STRING`).
 */
export function emitScalarRead(type: ScalarType, longAsString: boolean, strictUtf8: boolean, end = "end"): string {
  switch (type) {
    case ScalarType.INT32:
      return `(rv32() | 0)`;
    case ScalarType.UINT32:
      return `rv32()`;
    case ScalarType.SINT32:
      return `((z = rv32()), (z >>> 1) ^ -(z & 1))`;
    case ScalarType.FIXED32:
      return `(r32() >>> 0)`;
    case ScalarType.SFIXED32:
      return `r32()`;
    case ScalarType.FLOAT:
      return `rf32()`;
    case ScalarType.DOUBLE:
      return `rf64()`;
    case ScalarType.BOOL:
      return `rbool()`;
    case ScalarType.INT64:
      return longAsString ? `(rv64(), sstr64())` : `(rv64(), sbig())`;
    case ScalarType.UINT64:
      return longAsString ? `(rv64(), ustr64())` : `(rv64(), ubig())`;
    case ScalarType.SINT64:
      return longAsString ? `(rv64(), unzz64(), sstr64())` : `(rv64(), unzz64(), sbig())`;
    case ScalarType.FIXED64:
      return longAsString ? `(rfix64(), ustr64())` : `(rfix64(), ubig())`;
    case ScalarType.SFIXED64:
      return longAsString ? `(rfix64(), sstr64())` : `(rfix64(), sbig())`;
    case ScalarType.STRING:
      return `rstr(${end}, ${strictUtf8})`;
    case ScalarType.BYTES:
      return `rbytes(${end})`;
  }
}

/**
 * The implicit-presence test of protobuf-es's toBinary: a field without
 * explicit presence is written when its value is not the zero value.
 */
export function emitIsNonZero(type: ScalarType, v: string): string {
  switch (type) {
    case ScalarType.BOOL:
      return `${v} !== false`;
    case ScalarType.STRING:
      return `${v} !== ""`;
    case ScalarType.BYTES:
      return `(!(${v} instanceof Uint8Array) || ${v}.byteLength > 0)`;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      // Object.is(v, 0) is false for -0, which is written.
      return `!(${v} === 0 && 1 / ${v} > 0)`;
    default:
      // Loose comparison matches 0n, 0 and "0".
      return `${v} != 0`;
  }
}
