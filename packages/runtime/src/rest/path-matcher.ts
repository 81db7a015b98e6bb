import { percentDecode } from "./percent-decode.js";
import type { PathTemplate } from "./path-template.js";

/** What a request path bound: each variable's decoded value by its field path (`"book.name"`). */
export type PathBindings = ReadonlyMap<string, string>;

/** Matches URL paths against one template; `undefined` when the path does not match. */
export type PathMatcher = (path: string) => PathBindings | undefined;

/**
 * Creates the matcher of a parsed template. `path` is the URL's path as
 * sent (still percent-encoded, without the query). Literals compare after
 * decoding both sides; `*` takes one non-empty segment; `**` whatever the
 * segments before and after it leave (possibly nothing); the verb must end
 * the last segment. Values are decoded per {@link percentDecode}; a
 * malformed escape in a value throws a `PercentDecodeError`.
 */
export function createPathMatcher(template: PathTemplate): PathMatcher {
  const { segments } = template;
  const literals = segments.map((segment) => (segment.kind === "literal" ? percentDecode(segment.value, false) : undefined));
  const deep = segments.findIndex((segment) => segment.kind === "deep-wildcard");
  return (path) => {
    const rest = stripVerb(path, template.verb);
    if (rest === undefined || !rest.startsWith("/")) {
      return undefined;
    }
    const parts = rest === "/" ? [] : rest.slice(1).split("/");
    // How many URL segments `**` takes; without one, the counts must be equal.
    const deepTake = parts.length - (segments.length - 1);
    if (deep === -1 ? parts.length !== segments.length : deepTake < 0) {
      return undefined;
    }
    // Where template segment `i` starts among the URL's segments.
    const partIndex = (i: number): number => (deep === -1 || i <= deep ? i : i - 1 + deepTake);
    for (let i = 0; i < segments.length; i++) {
      const part = parts[partIndex(i)] as string;
      const literal = literals[i];
      if (i !== deep && (literal !== undefined ? !literalMatches(part, literal) : part === "")) {
        return undefined;
      }
    }
    const bindings = new Map<string, string>();
    for (const variable of template.variables) {
      const value = parts.slice(partIndex(variable.start), partIndex(variable.end)).join("/");
      bindings.set(variable.fieldPath.join("."), percentDecode(value, variable.multiSegment));
    }
    return bindings;
  };
}

/** The path without `:verb`, or `undefined` when the template has a verb the path lacks. */
function stripVerb(path: string, verb: string | undefined): string | undefined {
  if (verb === undefined) {
    return path;
  }
  const suffix = `:${verb}`;
  return path.endsWith(suffix) ? path.slice(0, -suffix.length) : undefined;
}

function literalMatches(part: string, literal: string): boolean {
  if (part === literal) {
    return true;
  }
  try {
    return percentDecode(part, false) === literal;
  } catch {
    return false;
  }
}
