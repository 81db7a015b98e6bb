import type { DescField, DescMessage, JsonObject } from "@bufbuild/protobuf";
import { resolveFieldPath, UnknownFieldError } from "./field-path.js";
import { setJsonPath } from "./json-object-path.js";
import { takesText, textToJson } from "./text-to-json.js";

/**
 * Turns query parameters into the JSON of the request fields they set, for
 * `mergeFromJson`: `a.b.c=v` sets a nested field (proto or JSON names),
 * `x=1&x=2` a repeated one. Parameters naming a field that `isBound` says
 * the path or body already sets are skipped, as are names the request does
 * not have (browsers and proxies add their own, e.g. cache busters), both as
 * grpc-gateway does. Throws an Error for a parameter that names a field a
 * query cannot set (a map, a repeated message, a message that is not a
 * well-known scalar type) or repeats a singular field.
 */
export function queryToJson(input: DescMessage, query: URLSearchParams, isBound: (fields: readonly DescField[]) => boolean): JsonObject {
  const json: JsonObject = {};
  for (const [name, text] of query) {
    const fields = resolveOrSkip(input, name);
    if (fields === undefined || isBound(fields)) {
      continue;
    }
    const leaf = fields.at(-1) as DescField;
    if (!takesText(leaf)) {
      throw new Error(`query parameter "${name}": ${leaf.parent.typeName}.${leaf.name} (a ${describeKind(leaf)}) cannot be set from a query parameter`);
    }
    setJsonPath(json, fields, textToJson(leaf, text), name);
  }
  return json;
}

/** The fields a parameter name leads to; undefined for a name the request does not have. */
function resolveOrSkip(input: DescMessage, name: string): DescField[] | undefined {
  try {
    return resolveFieldPath(input, name.split("."), true);
  } catch (error) {
    if (error instanceof UnknownFieldError) {
      return undefined;
    }
    throw new Error(`query parameter "${name}": ${(error as Error).message}`);
  }
}

function describeKind(field: DescField): string {
  switch (field.fieldKind) {
    case "list":
      return `repeated ${field.listKind} field`;
    case "message":
      return `${field.message.typeName} field`;
    default:
      return `${field.fieldKind} field`;
  }
}
