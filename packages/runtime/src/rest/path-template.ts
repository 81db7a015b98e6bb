/**
 * One segment of a parsed path template: literal text, `*` (one URL path
 * segment) or `**` (zero or more segments; one per template).
 */
export type TemplateSegment = { readonly kind: "literal"; readonly value: string } | { readonly kind: "wildcard" } | { readonly kind: "deep-wildcard" };

/** A `{field.path=...}` variable of a template: the segments it spans, start inclusive, end exclusive. */
export interface TemplateVariable {
  /** The request field it binds, by proto field names, e.g. `["book", "name"]`. */
  readonly fieldPath: readonly string[];
  readonly start: number;
  readonly end: number;
  /**
   * True when it may span several URL segments (`{name=shelves/*}`, `{path=**}`):
   * its value then keeps `%2F` encoded, as http.proto asks.
   */
  readonly multiSegment: boolean;
}

/** A google.api.http path template, parsed: `"/" Segments [ ":" Verb ]`. */
export interface PathTemplate {
  /** The template as written. */
  readonly source: string;
  /** Every segment, those inside variables included, in URL order. */
  readonly segments: readonly TemplateSegment[];
  readonly variables: readonly TemplateVariable[];
  /** The custom verb after the last segment (`cancel` in `/v1/{id}:cancel`), if any. */
  readonly verb: string | undefined;
}

/** A template that does not follow the grammar of google/api/http.proto; the message says where and why. */
export class PathTemplateError extends Error {
  override name = "PathTemplateError";
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
// RFC 3986 pchar without ":" (which starts the verb) plus "%" escapes; a literal
// with other characters could never match a URL as a client sends it.
const literalText = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-Fa-f]{2})+$/;

/**
 * Parses a path template per the grammar in google/api/http.proto:
 * `Template = "/" Segments [ Verb ]`, segments being literals, `*`, `**` or
 * `{field.path}` / `{field.path=Segments}` variables. Throws a
 * {@link PathTemplateError} on anything else, e.g. nested variables, two
 * `**`, or a field bound twice.
 */
export function parsePathTemplate(source: string): PathTemplate {
  const fail = (reason: string): never => {
    throw new PathTemplateError(`invalid path template "${source}": ${reason}`);
  };
  if (!source.startsWith("/")) {
    fail('it must start with "/"');
  }
  const { path, verb } = splitVerb(source.slice(1), fail);
  const segments: TemplateSegment[] = [];
  const variables: TemplateVariable[] = [];
  // "/" alone is the root: no segments at all.
  for (const part of path === "" && verb === undefined ? [] : splitOutsideBraces(path, fail)) {
    if (part.startsWith("{")) {
      variables.push(parseVariable(part, segments, fail));
    } else {
      segments.push(parseSegment(part, fail));
    }
  }
  checkOneDeepWildcard(segments, fail);
  checkFieldsBoundOnce(variables, fail);
  return { source, segments, variables, verb };
}

/** Splits `path:verb`: the verb is after the last ":" outside braces that follows the last "/". */
function splitVerb(path: string, fail: (reason: string) => never): { path: string; verb: string | undefined } {
  let depth = 0;
  let colon = -1;
  for (let i = 0; i < path.length; i++) {
    const char = path[i];
    if (char === "{") depth++;
    else if (char === "}") depth--;
    else if (depth === 0 && char === "/") colon = -1;
    else if (depth === 0 && char === ":") colon = i;
  }
  if (colon === -1) {
    return { path, verb: undefined };
  }
  const verb = path.slice(colon + 1);
  if (!literalText.test(verb)) {
    fail(`the verb ":${verb}" must be a non-empty literal`);
  }
  return { path: path.slice(0, colon), verb };
}

/** Splits on "/" outside braces, checking that braces pair up and do not nest. */
function splitOutsideBraces(path: string, fail: (reason: string) => never): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const char = path[i];
    if (char === "{") {
      if (depth > 0) fail("a variable must not contain another variable");
      if (i !== start) fail('a variable must be a whole segment, e.g. "/{id}"');
      depth++;
    } else if (char === "}") {
      if (depth === 0) fail('"}" without "{"');
      depth--;
      if (i + 1 < path.length && path[i + 1] !== "/") fail('a variable must be a whole segment, e.g. "/{id}"');
    } else if (char === "/" && depth === 0) {
      parts.push(path.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) fail('"{" without "}"');
  parts.push(path.slice(start));
  return parts;
}

function parseSegment(text: string, fail: (reason: string) => never): TemplateSegment {
  if (text === "*") return { kind: "wildcard" };
  if (text === "**") return { kind: "deep-wildcard" };
  if (text === "") fail('empty segment (a "//" or a trailing "/")');
  if (text.includes("*") || !literalText.test(text)) fail(`"${text}" is not a literal, "*", "**" or variable`);
  return { kind: "literal", value: text };
}

/** Parses `{field.path}` or `{field.path=Segments}`, appending its segments to `segments`. */
function parseVariable(text: string, segments: TemplateSegment[], fail: (reason: string) => never): TemplateVariable {
  const inner = text.slice(1, -1);
  const equals = inner.indexOf("=");
  const fieldText = equals === -1 ? inner : inner.slice(0, equals);
  const fieldPath = fieldText.split(".");
  if (!fieldPath.every((name) => identifier.test(name))) {
    fail(`"${fieldText}" is not a field path (identifiers joined by ".")`);
  }
  const start = segments.length;
  const own =
    equals === -1
      ? [{ kind: "wildcard" } as const]
      : inner
          .slice(equals + 1)
          .split("/")
          .map((part) => parseSegment(part, fail));
  segments.push(...own);
  const multiSegment = own.length > 1 || own.some((segment) => segment.kind === "deep-wildcard");
  return { fieldPath, start, end: segments.length, multiSegment };
}

// At most one "**": http.proto wants it last, but published APIs (Firestore's
// ListDocuments binds {parent=projects/*/databases/*/documents/*/**} and then
// {collection_id}) put segments after it, which one "**" still matches unambiguously.
function checkOneDeepWildcard(segments: readonly TemplateSegment[], fail: (reason: string) => never): void {
  if (segments.filter((segment) => segment.kind === "deep-wildcard").length > 1) {
    fail('only one "**" may appear');
  }
}

function checkFieldsBoundOnce(variables: readonly TemplateVariable[], fail: (reason: string) => never): void {
  const seen = new Set<string>();
  for (const variable of variables) {
    const name = variable.fieldPath.join(".");
    if (seen.has(name)) fail(`field "${name}" is bound twice`);
    seen.add(name);
  }
}
