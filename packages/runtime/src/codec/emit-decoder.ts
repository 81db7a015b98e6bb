import { ScalarType, toJson, fromJson, type DescField, type DescMessage, type JsonValue, type Message } from "@bufbuild/protobuf";
import {
  WIRE_END_GROUP,
  WIRE_LEN,
  WIRE_START_GROUP,
  emitScalarRead,
  isPackable,
  tagOf,
  wireTypeOf,
} from "./emit-scalar.js";
import { isUnwrappedWrapperField, usesJsonRepresentation } from "./message-shape.js";

/** What the decoder emitter needs from the compilation it is part of. */
export interface DecoderContext {
  /** The index of a message type's compiled functions, registering it on first use. */
  indexOf(desc: DescMessage): number;
  /** Requests the group (delimited) decoder `g<i>` of a type. */
  groupDecoder(desc: DescMessage): number;
  /** Registers a constant (e.g. a Set of closed enum values) and returns its expression. */
  constant(value: unknown): string;
}

/**
 * Emits the decoder of a message type: `d<i>(end, depth, m)` reads fields
 * from P up to end into m (a new message when undefined) and returns it; with
 * `group`, `g<i>(end, depth, m, endTag)` reads up to the end-group tag
 * instead. Semantics follow protobuf-es's fromBinary: last value wins,
 * message fields merge, packed and unpacked repeated scalars are both
 * accepted, unknown fields (and extensions) are kept as raw records, unknown
 * values of closed enums become unknown fields. A field whose wire type is
 * not the expected one throws the fall-back sentinel: protobuf-es then
 * decodes the whole message with its own rules.
 */
export function emitDecoder(desc: DescMessage, index: number, ctx: DecoderContext, group: boolean): string {
  const cases = desc.fields.map((field) => emitFieldCases(field, ctx)).join("\n");
  const known = ctx.constant(new Set(desc.fields.map((f) => f.number)));
  const signature = group ? `g${index}(end, depth, m, endTag)` : `d${index}(end, depth, m)`;
  const endCase = group ? `case endTag: if (unk !== undefined && unk.length > 0) m.$unknown = unk; --depth; return m;` : "";
  const after = group
    ? `throw new Error("invalid end group tag");`
    : `if (P !== end) throw new RangeError("premature EOF"); if (unk !== undefined && unk.length > 0) m.$unknown = unk; return m;`;
  return `
function ${signature} {
  if (m === undefined) m = mk${index}();
  if (++depth > 100) throw new Error("maximum recursion depth reached");
  let unk = m.$unknown, t = 0, ts = 0, e = 0, x, y, z;
  while (P < end) {
    ts = P;
    t = rv32();
    switch (t) {
      ${endCase}
      ${cases}
      default:
        if (${known}.has(t >>> 3)) bail();
        P = ts;
        t = rtag();
        if (unk === undefined) unk = [];
        unk.push(unknown(t, end, depth));
    }
  }
  ${after}
}`;
}

function emitFieldCases(field: DescField, ctx: DecoderContext): string {
  const name = JSON.stringify(field.localName);
  const oneof = field.oneof !== undefined ? JSON.stringify(field.oneof.localName) : undefined;
  const assign = (expr: string) => (oneof !== undefined ? `m[${oneof}] = { case: ${name}, value: ${expr} };` : `m[${name}] = ${expr};`);
  switch (field.fieldKind) {
    case "scalar": {
      const tag = tagOf(field.number, wireTypeOf(field.scalar));
      return `case ${tag}: ${assign(emitScalarRead(field.scalar, field.longAsString, field.utf8Validation))} break;`;
    }
    case "enum": {
      const tag = tagOf(field.number, wireTypeOf(ScalarType.INT32));
      if (field.enum.open) return `case ${tag}: ${assign("rv32() | 0")} break;`;
      // Like protobuf-es: an unknown value of a closed enum is kept as an
      // unknown field, on the message's own $unknown array.
      const values = ctx.constant(new Set(field.enum.values.map((v) => v.number)));
      return `case ${tag}: x = rv32() | 0; if (${values}.has(x)) { ${assign("x")} } else { y = m.$unknown ?? []; y.push(closedEnumUnknown(${field.number}, x)); m.$unknown = y; } break;`;
    }
    case "message": {
      const j = ctx.indexOf(field.message);
      const tag = tagOf(field.number, field.delimitedEncoding ? WIRE_START_GROUP : WIRE_LEN);
      if (oneof !== undefined) {
        const existing = `(m[${oneof}].case === ${name} ? m[${oneof}].value : undefined)`;
        return `case ${tag}: ${assign(emitReadChild(field, j, existing, ctx))} break;`;
      }
      if (isUnwrappedWrapperField(field)) {
        const valueName = JSON.stringify(field.message.fields[0]!.localName);
        return `case ${tag}: x = mk${j}(); if (m[${name}] !== undefined) x[${valueName}] = m[${name}]; m[${name}] = ${emitReadChild(field, j, "x", ctx)}[${valueName}]; break;`;
      }
      return `case ${tag}: ${assign(emitReadChild(field, j, `m[${name}]`, ctx))} break;`;
    }
    case "list": {
      if (field.listKind === "message") {
        const j = ctx.indexOf(field.message);
        const tag = tagOf(field.number, field.delimitedEncoding ? WIRE_START_GROUP : WIRE_LEN);
        return `case ${tag}: m[${name}].push(${emitReadChild(field, j, "undefined", ctx)}); break;`;
      }
      const type = field.listKind === "enum" ? ScalarType.INT32 : field.scalar;
      const longAsString = field.listKind === "scalar" && field.longAsString;
      const read = emitScalarRead(type, longAsString, field.utf8Validation);
      const single = `case ${tagOf(field.number, wireTypeOf(type))}: m[${name}].push(${read}); break;`;
      if (!isPackable(type)) return single;
      const packedRead = emitScalarRead(type, longAsString, field.utf8Validation, "e");
      return `${single}
      case ${tagOf(field.number, WIRE_LEN)}: e = rlen(end); x = m[${name}]; while (P < e) x.push(${packedRead}); if (P !== e) throw new RangeError("premature EOF"); break;`;
    }
    case "map":
      return emitMapCase(field, ctx, name);
  }
}

/**
 * An expression decoding one child message (merging into `existing`). For a
 * google.protobuf.Struct field, protobuf-es's local value is a JSON object:
 * convert from and to it around the message decoder.
 */
function emitReadChild(field: DescField & { delimitedEncoding: boolean; message: DescMessage }, j: number, existing: string, ctx: DecoderContext): string {
  const json = usesJsonRepresentation(field);
  const desc = field.message;
  const from = json ? `((x = ${existing}) === undefined ? undefined : ${ctx.constant((v: JsonValue) => fromJson(desc, v))}(x))` : existing;
  let read: string;
  if (field.delimitedEncoding) {
    const g = ctx.groupDecoder(desc);
    read = `g${g}(end, depth, ${from}, ${tagOf(field.number, WIRE_END_GROUP)})`;
  } else {
    read = `d${j}(rlen(end), depth, ${from})`;
  }
  return json ? `${ctx.constant((m: Message) => toJson(desc, m))}(${read})` : read;
}

function zeroLiteral(type: ScalarType): string {
  switch (type) {
    case ScalarType.STRING:
      return `""`;
    case ScalarType.BOOL:
      return `false`;
    case ScalarType.BYTES:
      return `new Uint8Array(0)`;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return `0n`;
    default:
      return `0`;
  }
}

function emitMapCase(field: DescField & { fieldKind: "map" }, ctx: DecoderContext, name: string): string {
  const keyTag = tagOf(1, wireTypeOf(field.mapKey));
  const readKey = emitScalarRead(field.mapKey, false, field.utf8Validation, "e");
  let valueTag: number;
  let readValue: string;
  let valueDefault: string;
  switch (field.mapKind) {
    case "message": {
      const j = ctx.indexOf(field.message);
      valueTag = tagOf(2, WIRE_LEN);
      readValue = `d${j}(rlen(e), depth, y)`;
      valueDefault = `mk${j}()`;
      if (usesJsonRepresentation(field)) {
        const desc = field.message;
        readValue = `d${j}(rlen(e), depth, y === undefined ? undefined : ${ctx.constant((v: JsonValue) => fromJson(desc, v))}(y))`;
        const toLocal = ctx.constant((m: Message) => toJson(desc, m));
        readValue = `${toLocal}(${readValue})`;
        valueDefault = `${toLocal}(mk${j}())`;
      }
      break;
    }
    case "enum":
      valueTag = tagOf(2, wireTypeOf(ScalarType.INT32));
      readValue = `rv32() | 0`;
      valueDefault = String(field.enum.values[0]?.number ?? 0);
      break;
    case "scalar":
      valueTag = tagOf(2, wireTypeOf(field.scalar));
      readValue = emitScalarRead(field.scalar, false, field.utf8Validation, "e");
      valueDefault = zeroLiteral(field.scalar);
      break;
  }
  return `case ${tagOf(field.number, WIRE_LEN)}: {
        e = rlen(end); x = undefined; y = undefined;
        while (P < e) {
          const es = P, et = rv32();
          if (et === ${keyTag}) x = ${readKey};
          else if (et === ${valueTag}) y = ${readValue};
          else { if (et >>> 3 === 1 || et >>> 3 === 2) bail(); P = es; rskip(rtag(), e, 100 - depth); }
        }
        if (P !== e) throw new RangeError("premature EOF");
        setKey(m[${name}], x === undefined ? ${zeroLiteral(field.mapKey)} : x, y === undefined ? ${valueDefault} : y);
        break;
      }`;
}
