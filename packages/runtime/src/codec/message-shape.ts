import { create, type DescField, type DescMessage } from "@bufbuild/protobuf";

const wrapperTypeNames = new Set([
  "google.protobuf.DoubleValue",
  "google.protobuf.FloatValue",
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
  "google.protobuf.Int32Value",
  "google.protobuf.UInt32Value",
  "google.protobuf.BoolValue",
  "google.protobuf.StringValue",
  "google.protobuf.BytesValue",
]);

/**
 * Whether protobuf-es stores this field as the unwrapped scalar instead of a
 * wrapper message (a singular wrapper field outside a oneof).
 */
export function isUnwrappedWrapperField(field: DescField): field is DescField & { fieldKind: "message" } {
  if (field.fieldKind !== "message" || field.oneof !== undefined) return false;
  const first = field.message.fields[0];
  return wrapperTypeNames.has(field.message.typeName) && first !== undefined && first.fieldKind === "scalar" && first.name === "value" && first.number === 1;
}

/**
 * Whether protobuf-es stores the field's value as a JSON object instead of a
 * message (google.protobuf.Struct outside google.protobuf.Value). The
 * compiled codec converts such values with fromJson / toJson around the
 * Struct message codec.
 */
export function usesJsonRepresentation(field: DescField): boolean {
  const message = field.fieldKind === "message" || field.fieldKind === "list" || field.fieldKind === "map" ? field.message : undefined;
  return message?.typeName === "google.protobuf.Struct" && field.parent.typeName !== "google.protobuf.Value";
}

/** How a new, empty message of a type is built: its prototype and own properties. */
export interface MessageTemplate {
  /** The prototype carrying proto2 default values, or undefined for a plain object. */
  readonly prototype: object | undefined;
  /** An expression building the object, with `PROTO` standing for the prototype. */
  readonly expression: string;
}

/**
 * Derives, from protobuf-es's own `create()`, the exact shape of an empty
 * message (zero values, empty lists and maps, unset oneofs, proto2 default
 * prototype), so decoded messages are indistinguishable from fromBinary's.
 * Returns why not (a string) when a property holds something it does not
 * recognise.
 */
export function messageTemplate(desc: DescMessage): MessageTemplate | string {
  const sample = create(desc) as unknown as Record<string, unknown>;
  if (sample.$typeName !== desc.typeName) return `create() returned a message without $typeName ${desc.typeName}`;
  const proto = Object.getPrototypeOf(sample) as object;
  const prototype = proto === Object.prototype ? undefined : proto;
  const props: string[] = [];
  for (const key of Object.keys(sample)) {
    if (key === "$typeName") continue;
    const literal = valueLiteral(sample[key]);
    if (literal === undefined) return `create() returned an unexpected value for ${desc.typeName}.${key}`;
    props.push(`${JSON.stringify(key)}: ${literal}`);
  }
  const typeName = `$typeName: ${JSON.stringify(desc.typeName)}`;
  if (prototype === undefined) {
    return { prototype, expression: `{ ${[typeName, ...props].join(", ")} }` };
  }
  return { prototype, expression: `Object.assign(Object.create(PROTO), { ${[typeName, ...props].join(", ")} })` };
}

function valueLiteral(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "undefined":
      return "undefined";
    case "object":
      if (value === null) return undefined;
      if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
      if (value instanceof Uint8Array) return value.length === 0 ? "new Uint8Array(0)" : undefined;
      if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
      if (Object.keys(value).length === 0) return "{}";
      if (Object.keys(value).length === 1 && "case" in value && value.case === undefined) return "{ case: undefined }";
      return undefined;
    default:
      return undefined;
  }
}
