import type { DescField, DescMessage } from "@bufbuild/protobuf";

/** A field path naming a field its message does not have. */
export class UnknownFieldError extends Error {
  override name = "UnknownFieldError";
}

/**
 * The fields a dotted path walks through, e.g. `book.name` in a request:
 * every name but the last must be a singular message field. Names are proto
 * field names, or JSON names when `jsonNames` (query parameters may use
 * either). Throws an {@link UnknownFieldError} for a name the message does
 * not have, or an Error when a name before the last is not a singular
 * message field.
 */
export function resolveFieldPath(message: DescMessage, path: readonly string[], jsonNames = false): DescField[] {
  const fields: DescField[] = [];
  let current: DescMessage = message;
  for (const [index, name] of path.entries()) {
    const field = current.fields.find((candidate) => candidate.name === name || (jsonNames && candidate.jsonName === name));
    if (field === undefined) {
      throw new UnknownFieldError(`${current.typeName} has no field "${name}"`);
    }
    fields.push(field);
    if (index < path.length - 1) {
      if (field.fieldKind !== "message") {
        throw new Error(`${current.typeName}.${field.name} is not a singular message field, so "${path.join(".")}" cannot go through it`);
      }
      current = field.message;
    }
  }
  return fields;
}
