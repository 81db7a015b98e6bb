import { ScalarType, toJson, fromJson, type DescField, type DescMessage, type JsonValue, type Message } from "@bufbuild/protobuf";
import { WIRE_END_GROUP, WIRE_LEN, WIRE_START_GROUP, emitScalarRead, isPackable, tagOf, wireTypeOf } from "./emit-scalar.js";
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
 * values of closed enums become unknown fields, and a known field arriving
 * with another wire type than its own is read as its own type anyway.
 * Malformed input throws.
 */
export function emitDecoder(desc: DescMessage, index: number, ctx: DecoderContext, group: boolean): string {
  const fields = desc.fields.map((field) => emitFieldCases(field, ctx));
  const cases = fields.map((field) => field.cases).join("\n");
  const otherWireType = fields.map((field) => field.otherWireType).join("\n");
  const signature = group ? `g${index}(end, depth, m, endTag)` : `d${index}(end, depth, m)`;
  const endCase = group ? `case endTag: if (unk !== undefined && unk.length > 0) m.$unknown = unk; --depth; return m;` : "";
  // Another end-group tag ends a group too, like in protobuf-es, but wrongly.
  const otherEnd = group ? `if ((t & 7) === 4) throw new Error("invalid end group tag");` : "";
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
    // A tag of five bytes or more may overflow: validate it in full.
    if (P - ts > 4) { P = ts; t = rtag(); }
    switch (t) {
      ${endCase}
      ${cases}
      default:
        P = ts;
        t = rtag();
        ${otherEnd}
        switch (t >>> 3) {
          ${otherWireType}
          default:
            if (unk === undefined) unk = [];
            unk.push(unknown(t, end, depth));
        }
    }
  }
  ${after}
}`;
}

/**
 * The decoding of one field: `cases` for the tag switch (the field's own wire
 * type, and for packable lists the packed form too); `otherWireType` for the
 * switch on the field number, reached with any other wire type.
 */
interface FieldCases {
  readonly cases: string;
  readonly otherWireType: string;
}

function fieldCases(field: DescField, tag: number, body: string): FieldCases {
  return { cases: `case ${tag}: ${body} break;`, otherWireType: `case ${field.number}: ${body} break;` };
}

function emitFieldCases(field: DescField, ctx: DecoderContext): FieldCases {
  const name = JSON.stringify(field.localName);
  const oneof = field.oneof !== undefined ? JSON.stringify(field.oneof.localName) : undefined;
  const assign = (expr: string) => (oneof !== undefined ? `m[${oneof}] = { case: ${name}, value: ${expr} };` : `m[${name}] = ${expr};`);
  switch (field.fieldKind) {
    case "scalar": {
      const tag = tagOf(field.number, wireTypeOf(field.scalar));
      return fieldCases(field, tag, assign(emitScalarRead(field.scalar, field.longAsString, field.utf8Validation)));
    }
    case "enum": {
      const tag = tagOf(field.number, wireTypeOf(ScalarType.INT32));
      if (field.enum.open) return fieldCases(field, tag, assign("rv32() | 0"));
      // Like protobuf-es: an unknown value of a closed enum is kept as an
      // unknown field (with the wire type it came with), on the message's
      // own $unknown array.
      const values = ctx.constant(new Set(field.enum.values.map((v) => v.number)));
      return fieldCases(
        field,
        tag,
        `x = rv32() | 0; if (${values}.has(x)) { ${assign("x")} } else { y = m.$unknown ?? []; y.push(closedEnumUnknown(${field.number}, x, t & 7)); m.$unknown = y; }`,
      );
    }
    case "message": {
      const j = ctx.indexOf(field.message);
      const tag = tagOf(field.number, field.delimitedEncoding ? WIRE_START_GROUP : WIRE_LEN);
      if (oneof !== undefined) {
        const existing = `(m[${oneof}].case === ${name} ? m[${oneof}].value : undefined)`;
        return fieldCases(field, tag, assign(emitReadChild(field, j, existing, ctx)));
      }
      if (isUnwrappedWrapperField(field)) {
        const valueName = JSON.stringify(field.message.fields[0]!.localName);
        return fieldCases(
          field,
          tag,
          `x = mk${j}(); if (m[${name}] !== undefined) x[${valueName}] = m[${name}]; m[${name}] = ${emitReadChild(field, j, "x", ctx)}[${valueName}];`,
        );
      }
      return fieldCases(field, tag, assign(emitReadChild(field, j, `m[${name}]`, ctx)));
    }
    case "list": {
      if (field.listKind === "message") {
        const j = ctx.indexOf(field.message);
        const tag = tagOf(field.number, field.delimitedEncoding ? WIRE_START_GROUP : WIRE_LEN);
        return fieldCases(field, tag, `m[${name}].push(${emitReadChild(field, j, "undefined", ctx)});`);
      }
      const type = field.listKind === "enum" ? ScalarType.INT32 : field.scalar;
      const longAsString = field.listKind === "scalar" && field.longAsString;
      const single = fieldCases(field, tagOf(field.number, wireTypeOf(type)), `m[${name}].push(${emitScalarRead(type, longAsString, field.utf8Validation)});`);
      if (!isPackable(type)) return single;
      const packedRead = emitScalarRead(type, longAsString, field.utf8Validation, "e");
      const packed = `case ${tagOf(field.number, WIRE_LEN)}: e = rlen(end); x = m[${name}]; while (P < e) x.push(${packedRead}); if (P !== e) throw new RangeError("premature EOF"); break;`;
      return { cases: `${single.cases}\n      ${packed}`, otherWireType: single.otherWireType };
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

function emitMapCase(field: DescField & { fieldKind: "map" }, ctx: DecoderContext, name: string): FieldCases {
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
  // Like protobuf-es, the key and value are read as their own types whatever
  // the wire type they come with.
  return fieldCases(
    field,
    tagOf(field.number, WIRE_LEN),
    `e = rlen(end); x = undefined; y = undefined;
        while (P < e) {
          const es = P;
          let et = rv32();
          if (et !== ${keyTag} && et !== ${valueTag}) { P = es; et = rtag(); }
          if (et >>> 3 === 1) x = ${readKey};
          else if (et >>> 3 === 2) y = ${readValue};
          else rskip(et, e, 100 - depth);
        }
        if (P !== e) throw new RangeError("premature EOF");
        setKey(m[${name}], x === undefined ? ${zeroLiteral(field.mapKey)} : x, y === undefined ? ${valueDefault} : y);`,
  );
}
