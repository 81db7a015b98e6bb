import { create, toJson, type JsonValue, type JsonWriteOptions, type Message } from "@bufbuild/protobuf";
import type { RestBinding } from "./http-bindings.js";

/**
 * The JSON body of a response: the whole message, or with `response_body`
 * the one field's JSON, its default when unset (an empty list or object, a
 * zero, or the JSON of an empty message), so a client always gets a value
 * of the field's type.
 */
export function responseToJson(binding: RestBinding, response: Message, options: Partial<JsonWriteOptions>): JsonValue {
  const output = binding.method.output;
  const field = binding.responseBody;
  if (field === undefined) {
    return toJson(output, response, options);
  }
  const json = toJson(output, response, { ...options, alwaysEmitImplicit: true }) as Record<string, JsonValue>;
  const value = json[options.useProtoFieldName === true ? field.name : field.jsonName];
  if (value !== undefined) {
    return value;
  }
  return field.fieldKind === "message" ? toJson(field.message, create(field.message), options) : null;
}
