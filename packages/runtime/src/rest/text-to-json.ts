import { ScalarType, type DescField, type JsonValue } from "@bufbuild/protobuf";

/** Message types a single text value can set, as their JSON mapping writes them as one JSON scalar. */
const scalarLikeMessages = new Set([
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.FieldMask",
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
 * Whether a URL path or query value can set `field` (or, for a repeated
 * field, one of its elements): scalars, enums, and the well-known types
 * whose JSON form is one scalar (Timestamp, Duration, FieldMask, wrappers).
 */
export function takesText(field: DescField): boolean {
  switch (field.fieldKind) {
    case "scalar":
    case "enum":
      return true;
    case "message":
      return scalarLikeMessages.has(field.message.typeName);
    case "list":
      return field.listKind !== "message" || scalarLikeMessages.has(field.message.typeName);
    case "map":
      return false;
  }
}

/**
 * Turns the text of a path or query value into the JSON value the protobuf
 * JSON mapping reads for `field`, so protobuf-es's `fromJson` does the
 * parsing and checking: text stays a string (the mapping accepts numbers,
 * 64-bit integers, bytes in base64 or base64url, Timestamps, Durations and
 * FieldMasks as strings) except booleans and enum numbers, which it only
 * accepts as JSON booleans and numbers.
 */
export function textToJson(field: DescField, text: string): JsonValue {
  if (isBool(field) && (text === "true" || text === "false")) {
    return text === "true";
  }
  if (isEnum(field) && /^-?\d+$/.test(text)) {
    return Number(text);
  }
  return text;
}

function isBool(field: DescField): boolean {
  if (field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message")) {
    return field.message.typeName === "google.protobuf.BoolValue";
  }
  return (field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar")) && field.scalar === ScalarType.BOOL;
}

function isEnum(field: DescField): boolean {
  return field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum");
}
