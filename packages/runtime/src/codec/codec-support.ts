import { protoInt64, ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";

// protobuf-es's field presence values (google.protobuf.FeatureSet.FieldPresence).
const presenceValues = new Set([1, 2, 3]); // EXPLICIT, IMPLICIT, LEGACY_REQUIRED

const scalarTypes = new Set<number>([
  ScalarType.DOUBLE,
  ScalarType.FLOAT,
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.INT32,
  ScalarType.FIXED64,
  ScalarType.FIXED32,
  ScalarType.BOOL,
  ScalarType.STRING,
  ScalarType.BYTES,
  ScalarType.UINT32,
  ScalarType.SFIXED32,
  ScalarType.SFIXED64,
  ScalarType.SINT32,
  ScalarType.SINT64,
]);

// Every scalar type but floating point and bytes.
const mapKeyTypes = new Set<number>([...scalarTypes].filter((t) => t !== ScalarType.DOUBLE && t !== ScalarType.FLOAT && t !== ScalarType.BYTES));

const is64Bit = new Set<number>([ScalarType.INT64, ScalarType.UINT64, ScalarType.FIXED64, ScalarType.SFIXED64, ScalarType.SINT64]);

/**
 * Why the compiled codec cannot run on this host at all, or undefined: it
 * writes multi-byte values through little-endian typed-array views, and
 * reads and writes strings with Node's Buffer.
 */
export function unsupportedHost(): string | undefined {
  if (typeof (globalThis as { Buffer?: unknown }).Buffer !== "function") return "Node's Buffer is not available";
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? undefined : "the host is big-endian";
}

/**
 * Why the compiler cannot handle a message type's own fields, or undefined.
 * It checks every descriptor property the emitted code relies on, so a
 * protobuf-es version that describes fields in a way this code does not know
 * (a new kind, a new scalar type, a new presence value) is detected here,
 * before any code is emitted, instead of producing wrong bytes.
 */
export function unsupportedFields(desc: DescMessage): string | undefined {
  for (const field of desc.fields) {
    const reason = unsupportedField(field);
    if (reason !== undefined) return `field ${desc.typeName}.${String(field.name)}: ${reason}`;
  }
  return undefined;
}

function unsupportedField(field: DescField): string | undefined {
  if (typeof field.localName !== "string" || !Number.isInteger(field.number)) return "unexpected name or number";
  if (field.oneof !== undefined && typeof field.oneof.localName !== "string") return "unexpected oneof";
  switch (field.fieldKind) {
    case "scalar":
      return unsupportedScalar(field.scalar, field.longAsString) ?? unsupportedPresence(field.presence);
    case "enum":
      return unsupportedEnum(field.enum) ?? unsupportedPresence(field.presence);
    case "message":
      return unsupportedDelimited(field.delimitedEncoding) ?? unsupportedPresence(field.presence);
    case "list":
      if (typeof field.packed !== "boolean") return "unexpected packed flag";
      switch (field.listKind) {
        case "scalar":
          return unsupportedScalar(field.scalar, field.longAsString);
        case "enum":
          return unsupportedEnum(field.enum);
        case "message":
          return unsupportedDelimited(field.delimitedEncoding);
        default:
          return `unknown list kind ${String((field as { listKind: unknown }).listKind)}`;
      }
    case "map":
      if (!mapKeyTypes.has(field.mapKey)) return `unexpected map key type ${String(field.mapKey)}`;
      if (is64Bit.has(field.mapKey) && !protoInt64.supported) return "64-bit integers without BigInt support";
      switch (field.mapKind) {
        case "scalar":
          return unsupportedScalar(field.scalar, false);
        case "enum":
          return unsupportedEnum(field.enum);
        case "message":
          return undefined;
        default:
          return `unknown map kind ${String((field as { mapKind: unknown }).mapKind)}`;
      }
    default:
      return `unknown field kind ${String((field as { fieldKind: unknown }).fieldKind)}`;
  }
}

function unsupportedScalar(type: ScalarType, longAsString: boolean): string | undefined {
  if (!scalarTypes.has(type)) return `unknown scalar type ${String(type)}`;
  if (is64Bit.has(type)) {
    // Decoding builds bigints, or strings through them.
    if (!protoInt64.supported) return "64-bit integers without BigInt support";
    if (typeof longAsString !== "boolean") return "unexpected 64-bit representation flag";
  }
  return undefined;
}

function unsupportedEnum(desc: { readonly open: boolean; readonly values: readonly { readonly number: number }[] }): string | undefined {
  if (typeof desc.open !== "boolean") return "unexpected enum openness flag";
  return desc.values.length > 0 ? undefined : "an enum without values";
}

function unsupportedDelimited(delimited: boolean): string | undefined {
  return typeof delimited === "boolean" ? undefined : "unexpected delimited-encoding flag";
}

function unsupportedPresence(presence: number): string | undefined {
  return presenceValues.has(presence) ? undefined : `unknown field presence ${String(presence)}`;
}
