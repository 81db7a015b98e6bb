import type { DescField, JsonObject, JsonValue } from "@bufbuild/protobuf";

/**
 * Sets `value` at the place `fields` lead to in a JSON object being built
 * for `fromJson`, creating the objects on the way; keys are JSON names.
 * A repeated leaf collects values in an array; a singular leaf set twice
 * throws, naming `name` (the parameter as the client wrote it).
 */
export function setJsonPath(target: JsonObject, fields: readonly DescField[], value: JsonValue, name: string): void {
  let object = target;
  for (const field of fields.slice(0, -1)) {
    const next = object[field.jsonName];
    if (typeof next === "object" && next !== null && !Array.isArray(next)) {
      object = next;
    } else {
      const created: JsonObject = {};
      object[field.jsonName] = created;
      object = created;
    }
  }
  const leaf = fields.at(-1) as DescField;
  const existing = object[leaf.jsonName];
  if (leaf.fieldKind === "list") {
    object[leaf.jsonName] = Array.isArray(existing) ? [...existing, value] : [value];
  } else if (existing !== undefined) {
    throw new Error(`"${name}" is given more than once, but ${leaf.parent.typeName}.${leaf.name} is not repeated`);
  } else {
    object[leaf.jsonName] = value;
  }
}
