import type { RestBinding } from "./http-bindings.js";
import type { PathTemplate } from "./path-template.js";

/** A binding no request can reach, because an earlier one has the same HTTP method and template shape. */
export interface RouteConflict {
  /** The unreachable binding. */
  readonly binding: RestBinding;
  /** The earlier binding, which gets its requests. */
  readonly earlier: RestBinding;
  /** Says so, naming the file, service, method and rule of both. */
  readonly message: string;
}

/**
 * Splits `bindings` into those a router serves and those it never reaches:
 * of two with the same HTTP method and template shape (the same template up
 * to variable names), the first in declaration order gets every request.
 * Such pairs occur in published APIs (googleapis has some), so they are
 * reported rather than refused: the plugin warns at generation, and the REST
 * handler serves the first.
 */
export function splitRouteConflicts(bindings: readonly RestBinding[]): { readonly reachable: RestBinding[]; readonly conflicts: RouteConflict[] } {
  const seen = new Map<string, RestBinding>();
  const reachable: RestBinding[] = [];
  const conflicts: RouteConflict[] = [];
  for (const binding of bindings) {
    const key = `${binding.httpMethod} ${shapeOf(binding.template)}`;
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, binding);
      reachable.push(binding);
    } else {
      conflicts.push({ binding, earlier, message: conflictMessage(binding, earlier) });
    }
  }
  return { reachable, conflicts };
}

function conflictMessage(binding: RestBinding, earlier: RestBinding): string {
  return (
    `${binding.method.parent.file.proto.name}: rpc ${binding.method.parent.typeName}.${binding.method.name}: google.api.http rule ` +
    `${binding.httpMethod} "${binding.template.source}" is not served: ${earlier.method.parent.typeName}.${earlier.method.name}'s ` +
    `${earlier.httpMethod} "${earlier.template.source}" matches the same requests and comes first`
  );
}

/** The template without its variable names: two templates of one shape match the same paths. */
function shapeOf(template: PathTemplate): string {
  const segments = template.segments.map((segment) => (segment.kind === "literal" ? `=${segment.value}` : segment.kind));
  return `${segments.join("/")}${template.verb === undefined ? "" : `:${template.verb}`}`;
}
