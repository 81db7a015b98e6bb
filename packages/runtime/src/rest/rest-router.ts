import type { RestBinding } from "./http-bindings.js";
import type { PathBindings } from "./path-matcher.js";
import type { PathTemplate, TemplateSegment } from "./path-template.js";
import { splitRouteConflicts, type RouteConflict } from "./route-conflicts.js";

/** What the router found for a request: a binding with its path variables, or why there is none. */
export type RouteMatch<T> =
  | { readonly kind: "match"; readonly binding: RestBinding; readonly target: T; readonly path: PathBindings }
  | { readonly kind: "not-found" }
  | { readonly kind: "method-not-allowed"; readonly allow: readonly string[] };

/** Finds the binding of an HTTP request among those of every served method. */
export interface RestRouter<T> {
  /** `path` is the URL path as sent, still percent-encoded, without the query. */
  route(httpMethod: string, path: string): RouteMatch<T>;
}

interface Entry<T> {
  readonly binding: RestBinding;
  readonly target: T;
}

/**
 * Creates a router over `entries` (each binding with what serves it). The
 * most specific template wins whatever the order of the rules: one with a
 * verb before one without, then segment by segment a literal before `*`
 * before `**`. A HEAD request without a HEAD rule of its own takes the GET
 * route of its path (Node's `http` then sends the headers without the body),
 * as HTTP asks of every GET resource. Of two bindings that match the same
 * requests, the first gets them, and `onConflict` hears of the other (see
 * {@link splitRouteConflicts}).
 */
export function createRestRouter<T>(entries: readonly Entry<T>[], onConflict: (conflict: RouteConflict) => void = () => {}): RestRouter<T> {
  const { reachable, conflicts } = splitRouteConflicts(entries.map((entry) => entry.binding));
  for (const conflict of conflicts) {
    onConflict(conflict);
  }
  const served = new Set(reachable);
  const ordered = entries.filter((entry) => served.has(entry.binding)).sort((a, b) => compareSpecificity(a.binding.template, b.binding.template));
  return {
    route(httpMethod, path) {
      const allow = new Set<string>();
      let getForHead: RouteMatch<T> | undefined;
      for (const entry of ordered) {
        const bindings = entry.binding.match(path);
        if (bindings === undefined) {
          continue;
        }
        if (entry.binding.httpMethod === httpMethod || entry.binding.httpMethod === "*") {
          return { kind: "match", binding: entry.binding, target: entry.target, path: bindings };
        }
        if (httpMethod === "HEAD" && entry.binding.httpMethod === "GET") {
          getForHead ??= { kind: "match", binding: entry.binding, target: entry.target, path: bindings };
        }
        allow.add(entry.binding.httpMethod);
      }
      if (getForHead !== undefined) {
        return getForHead;
      }
      if (allow.has("GET")) {
        allow.add("HEAD");
      }
      return allow.size === 0 ? { kind: "not-found" } : { kind: "method-not-allowed", allow: [...allow].sort() };
    },
  };
}

/** Negative when `a` is more specific than `b`. */
function compareSpecificity(a: PathTemplate, b: PathTemplate): number {
  if ((a.verb === undefined) !== (b.verb === undefined)) {
    return a.verb === undefined ? 1 : -1;
  }
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const difference = rank(b.segments[i]) - rank(a.segments[i]);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

function rank(segment: TemplateSegment | undefined): number {
  switch (segment?.kind) {
    case "literal":
      return 3;
    case "wildcard":
      return 2;
    case "deep-wildcard":
      return 1;
    default:
      return 0;
  }
}
