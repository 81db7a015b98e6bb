import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { wireTypeOf as scalarWireType } from "./emit-scalar.js";

// protobuf-es's field presence value for proto2 `required`.
const LEGACY_REQUIRED = 3;
/**
 * Below this depth, and until this many fields are written, every field is
 * written; past either, only required ones and a scalar per oneof (so
 * recursive and wide types end small).
 */
const FULL_DEPTH = 3;
const FULL_FIELDS = 1000;
/** Deeper than this nothing is written, whatever is required. */
const MAX_DEPTH = 6;

/**
 * The wire encoding of a probe message of a type: every field set with a
 * value off the common paths (negative and beyond-2^53 integers, non-ASCII
 * text, every member of each oneof so the last wins, repeated scalars both
 * packed and unpacked, an unknown value of each closed enum, an unknown
 * field), nested messages a few levels deep. Written from the descriptor
 * with protobuf-es's BinaryWriter, so that protobuf-es's `fromBinary` turns
 * it into a message of whatever shape that protobuf-es version uses.
 */
export function probeBytes(desc: DescMessage): Uint8Array {
  const writer = new BinaryWriter();
  writeMessage({ writer, fields: 0, path: [] }, desc, 0);
  return writer.finish();
}

/** The probe being written, how many fields it has so far, and the types it is inside. */
interface Probe {
  readonly writer: BinaryWriter;
  fields: number;
  readonly path: DescMessage[];
}

function writeMessage(probe: Probe, desc: DescMessage, depth: number): void {
  // A type that requires itself has no finite complete message: stop there.
  const full = depth < FULL_DEPTH && probe.fields < FULL_FIELDS;
  if (depth > MAX_DEPTH || (!full && probe.path.includes(desc))) return;
  const { writer } = probe;
  probe.path.push(desc);
  // Deeper, each oneof still gets a scalar member where it has one: a
  // google.protobuf.Value without one has no JSON form.
  const oneofMembers = new Set<DescField | undefined>(desc.oneofs.map((oneof) => oneof.fields.find((f) => f.fieldKind !== "message")));
  for (const field of desc.fields) {
    if (full || field.presence === LEGACY_REQUIRED || oneofMembers.has(field)) {
      probe.fields++;
      writeField(probe, field, depth);
    }
  }
  if (full) {
    const unused = Math.max(0, ...desc.fields.map((f) => f.number)) + 1;
    if (unused < 0x20000000) writer.tag(unused, WireType.Varint).uint32(300);
  }
  probe.path.pop();
}

function wireTypeOf(type: ScalarType): WireType {
  return scalarWireType(type) as WireType;
}

function writeField(probe: Probe, field: DescField, depth: number): void {
  const { writer } = probe;
  switch (field.fieldKind) {
    case "scalar":
      writeScalar(writer.tag(field.number, wireTypeOf(field.scalar)), field.scalar, 0);
      return;
    case "enum":
      writeEnum(writer, field.number, field.enum, field.enum.open);
      return;
    case "message":
      writeChild(probe, field.number, field.message, field.delimitedEncoding, depth);
      return;
    case "list":
      if (field.listKind === "message") {
        writeChild(probe, field.number, field.message, field.delimitedEncoding, depth);
        writeChild(probe, field.number, field.message, field.delimitedEncoding, depth);
        return;
      }
      writeList(writer, field.number, field.listKind === "enum" ? ScalarType.INT32 : field.scalar, field.packed);
      return;
    case "map":
      for (const k of [0, 1]) {
        writer.tag(field.number, WireType.LengthDelimited).fork();
        writeScalar(writer.tag(1, wireTypeOf(field.mapKey)), field.mapKey, k);
        switch (field.mapKind) {
          case "scalar":
            writeScalar(writer.tag(2, wireTypeOf(field.scalar)), field.scalar, k);
            break;
          case "enum":
            writer.tag(2, WireType.Varint).int32(lastValue(field.enum));
            break;
          case "message":
            writeChild(probe, 2, field.message, false, depth);
            break;
        }
        writer.join();
      }
      return;
  }
}

function writeChild(probe: Probe, fieldNo: number, desc: DescMessage, delimited: boolean, depth: number): void {
  const { writer } = probe;
  if (delimited) {
    writer.tag(fieldNo, WireType.StartGroup);
    writeMessage(probe, desc, depth + 1);
    writer.tag(fieldNo, WireType.EndGroup);
    return;
  }
  writer.tag(fieldNo, WireType.LengthDelimited).fork();
  writeMessage(probe, desc, depth + 1);
  writer.join();
}

function writeEnum(writer: BinaryWriter, fieldNo: number, desc: { readonly values: readonly { readonly number: number }[] }, open: boolean): void {
  // An unknown value first: a closed enum keeps it as an unknown field.
  if (!open) writer.tag(fieldNo, WireType.Varint).int32(unknownValue(desc));
  writer.tag(fieldNo, WireType.Varint).int32(lastValue(desc));
}

/** The smallest non-negative number that is not a value of the enum. */
function unknownValue(desc: { readonly values: readonly { readonly number: number }[] }): number {
  const known = new Set(desc.values.map((v) => v.number));
  let value = 0;
  while (known.has(value)) value++;
  return value;
}

function lastValue(desc: { readonly values: readonly { readonly number: number }[] }): number {
  return desc.values[desc.values.length - 1]?.number ?? 0;
}

/** Two values in the field's preferred form, and one in the other (decoders accept both). */
function writeList(writer: BinaryWriter, fieldNo: number, type: ScalarType, packed: boolean): void {
  const packable = type !== ScalarType.STRING && type !== ScalarType.BYTES;
  const writePacked = (values: number[]) => {
    writer.tag(fieldNo, WireType.LengthDelimited).fork();
    for (const k of values) writeScalar(writer, type, k);
    writer.join();
  };
  const writeUnpacked = (values: number[]) => {
    for (const k of values) writeScalar(writer.tag(fieldNo, wireTypeOf(type)), type, k);
  };
  if (packable && packed) {
    writePacked([0, 1]);
    writeUnpacked([2]);
  } else if (packable) {
    writeUnpacked([0, 1]);
    writePacked([2]);
  } else {
    writeUnpacked([0, 1, 2]);
  }
}

/** Writes sample value `k` (0, 1 or 2; distinct per type) of a scalar type. */
function writeScalar(writer: BinaryWriter, type: ScalarType, k: number): void {
  switch (type) {
    case ScalarType.DOUBLE:
      writer.double([-0.1, 2.5, 1e300][k]!);
      return;
    case ScalarType.FLOAT:
      writer.float([1.5, -3, 65536][k]!);
      return;
    case ScalarType.INT64:
      writer.int64(["-9007199254740993", "5", "9223372036854775807"][k]!);
      return;
    case ScalarType.UINT64:
      writer.uint64(["18446744073709551615", "1", "9007199254740993"][k]!);
      return;
    case ScalarType.INT32:
      writer.int32([-123456, 7, 2147483647][k]!);
      return;
    case ScalarType.FIXED64:
      writer.fixed64(["9223372036854775809", "2", "0"][k]!);
      return;
    case ScalarType.FIXED32:
      writer.fixed32([4000000000, 3, 1][k]!);
      return;
    case ScalarType.BOOL:
      writer.bool(k !== 1);
      return;
    case ScalarType.STRING:
      writer.string(["probe é ☃ 😀", "ascii", ""][k]!);
      return;
    case ScalarType.BYTES:
      writer.bytes(new Uint8Array([[0, 1, 255], [9], []][k]!));
      return;
    case ScalarType.UINT32:
      writer.uint32([4000000000, 2, 128][k]!);
      return;
    case ScalarType.SFIXED32:
      writer.sfixed32([-5, 4, -2147483648][k]!);
      return;
    case ScalarType.SFIXED64:
      writer.sfixed64(["-4611686018427387904", "6", "-1"][k]!);
      return;
    case ScalarType.SINT32:
      writer.sint32([-70000, 8, 1][k]!);
      return;
    case ScalarType.SINT64:
      writer.sint64(["-1234567890123", "9", "-9223372036854775808"][k]!);
      return;
  }
}
