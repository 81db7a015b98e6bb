import { ScalarType, type DescEnum, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { CommentIndex } from "../docs/comments.js";

/** A JSON Schema (draft 2020-12, OpenAPI 3.1's dialect), as a plain object. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * Makes the JSON Schemas of protobuf types per the protobuf JSON mapping,
 * collecting the messages and enums they refer to as named components.
 */
export interface SchemaCollector {
  /** The schema of a field's JSON value (an array for a list, an object for a map), with its comment. */
  field(field: DescField): JsonSchema;
  /** A reference to a message's component, or the inline schema of a well-known type. */
  message(message: DescMessage): JsonSchema;
  /** An object schema of a message's fields, leaving out `omit` (for a body without its path fields). */
  messageObject(message: DescMessage, omit?: ReadonlySet<DescField>): JsonSchema;
  /** Every component referred to so far, by full type name, sorted. */
  components(): Record<string, JsonSchema>;
}

/** A reference to the component of a type, by its full name. */
function componentRef(typeName: string): JsonSchema {
  return { $ref: `#/components/schemas/${typeName}` };
}

const int64Schema: JsonSchema = { type: "string", format: "int64" };
const uint64Schema: JsonSchema = { type: "string", format: "uint64" };
const bytesSchema: JsonSchema = { type: "string", format: "byte", contentEncoding: "base64" };

/** The well-known types with a JSON form of their own (protobuf JSON mapping). */
const wellKnown: Readonly<Record<string, JsonSchema>> = {
  "google.protobuf.Timestamp": { type: "string", format: "date-time", description: "RFC 3339, e.g. 2024-01-02T03:04:05.678Z." },
  "google.protobuf.Duration": { type: "string", pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$", description: 'Seconds with an "s" suffix, e.g. 1.5s.' },
  "google.protobuf.FieldMask": { type: "string", description: "Field paths in lowerCamelCase, separated by commas, e.g. title,author.name." },
  "google.protobuf.DoubleValue": { type: "number", format: "double" },
  "google.protobuf.FloatValue": { type: "number", format: "float" },
  "google.protobuf.Int64Value": int64Schema,
  "google.protobuf.UInt64Value": uint64Schema,
  "google.protobuf.Int32Value": { type: "integer", format: "int32" },
  "google.protobuf.UInt32Value": { type: "integer", format: "uint32", minimum: 0 },
  "google.protobuf.BoolValue": { type: "boolean" },
  "google.protobuf.StringValue": { type: "string" },
  "google.protobuf.BytesValue": bytesSchema,
  "google.protobuf.Struct": { type: "object", additionalProperties: true },
  "google.protobuf.Value": { description: "Any JSON value." },
  "google.protobuf.ListValue": { type: "array", items: {} },
  "google.protobuf.Empty": { type: "object" },
  "google.protobuf.Any": {
    type: "object",
    properties: { "@type": { type: "string", description: "The type URL of the message, e.g. type.googleapis.com/google.rpc.ErrorInfo." } },
    required: ["@type"],
    additionalProperties: true,
  },
};

/** Creates a collector; comments come from `comments`, so descriptions follow the .proto. */
export function createSchemaCollector(comments: CommentIndex): SchemaCollector {
  const components = new Map<string, JsonSchema>();

  const message = (desc: DescMessage): JsonSchema => {
    const known = wellKnown[desc.typeName];
    if (known !== undefined) {
      return { ...known };
    }
    if (!components.has(desc.typeName)) {
      // Set before filling in, so a recursive message refers to itself.
      components.set(desc.typeName, {});
      components.set(desc.typeName, withDescription(messageObject(desc), comments.comment(desc)));
    }
    return componentRef(desc.typeName);
  };

  const enumeration = (desc: DescEnum): JsonSchema => {
    if (desc.typeName === "google.protobuf.NullValue") {
      return { type: "null" };
    }
    if (!components.has(desc.typeName)) {
      const described = desc.values.map((value) => [value.name, comments.comment(value)] as const).filter(([, text]) => text !== "");
      const text = [comments.comment(desc), ...described.map(([name, text]) => `- ${name}: ${text.replaceAll("\n", " ")}`)].filter((part) => part !== "");
      components.set(desc.typeName, withDescription({ type: "string", enum: desc.values.map((value) => value.name) }, text.join("\n")));
    }
    return componentRef(desc.typeName);
  };

  const value = (field: DescField): JsonSchema => {
    switch (field.fieldKind) {
      case "scalar":
        return scalarSchema(field.scalar);
      case "enum":
        return enumeration(field.enum);
      case "message":
        return message(field.message);
      case "list":
        return {
          type: "array",
          items: field.listKind === "scalar" ? scalarSchema(field.scalar) : field.listKind === "enum" ? enumeration(field.enum) : message(field.message),
        };
      case "map":
        return {
          type: "object",
          additionalProperties:
            field.mapKind === "scalar" ? scalarSchema(field.scalar) : field.mapKind === "enum" ? enumeration(field.enum) : message(field.message),
        };
    }
  };

  const field = (desc: DescField): JsonSchema => {
    const schema = withDescription(value(desc), comments.comment(desc));
    return desc.deprecated ? { ...schema, deprecated: true } : schema;
  };

  const messageObject = (desc: DescMessage, omit: ReadonlySet<DescField> = new Set()): JsonSchema => {
    const fields = desc.fields.filter((f) => !omit.has(f));
    const schema: JsonSchema = { type: "object", properties: Object.fromEntries(fields.map((f) => [f.jsonName, field(f)])) };
    const required = fields.filter((f) => f.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED).map((f) => f.jsonName);
    if (required.length > 0) {
      schema.required = required;
    }
    const exclusive = desc.oneofs
      .map((oneof) => ({ oneof, names: oneof.fields.filter((f) => !omit.has(f)).map((f) => f.jsonName) }))
      .filter(({ names }) => names.length > 1);
    if (exclusive.length > 0) {
      // At most one member of each oneof: no two of them together.
      schema.allOf = exclusive.map(({ oneof, names }) =>
        withDescription(
          { description: `At most one of ${names.join(", ")} (oneof ${oneof.name}).`, not: { anyOf: pairs(names).map((pair) => ({ required: pair })) } },
          comments.comment(oneof),
        ),
      );
    }
    return schema;
  };

  return {
    field,
    message,
    messageObject,
    components: () => Object.fromEntries([...components].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** The schema of a scalar's JSON value: 64-bit integers are strings, bytes base64. */
function scalarSchema(scalar: ScalarType): JsonSchema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.BYTES:
      return { ...bytesSchema };
    case ScalarType.DOUBLE:
      return { type: "number", format: "double" };
    case ScalarType.FLOAT:
      return { type: "number", format: "float" };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: "integer", format: "int32" };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: "integer", format: "uint32", minimum: 0 };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { ...int64Schema };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { ...uint64Schema };
  }
}

/** `schema` with `text` as its description (after any it has); unchanged without text. */
export function withDescription(schema: JsonSchema, text: string): JsonSchema {
  if (text === "") {
    return schema;
  }
  const own = schema.description;
  return { ...schema, description: typeof own === "string" ? `${text}\n\n${own}` : text };
}

function pairs(names: readonly string[]): [string, string][] {
  return names.flatMap((a, i) => names.slice(i + 1).map((b): [string, string] => [a, b]));
}
