import { HttpRuleError, type RestBinding } from "./http-bindings.js";
import type { PathTemplate } from "./path-template.js";

/**
 * Throws an {@link HttpRuleError} when two bindings have the same HTTP method
 * and the same template shape (the same template up to variable names): a
 * router could only ever reach one of them. The message names the file,
 * service, method and rule of the second one, and the method and rule of the
 * first. The router checks this when it is built, the plugin at generation.
 */
export function checkRouteConflicts(bindings: readonly RestBinding[]): void {
  const seen = new Map<string, RestBinding>();
  for (const binding of bindings) {
    const key = `${binding.httpMethod} ${shapeOf(binding.template)}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new HttpRuleError(
        `${binding.method.parent.file.proto.name}: rpc ${binding.method.parent.typeName}.${binding.method.name}: google.api.http rule ` +
          `${binding.httpMethod} "${binding.template.source}" conflicts with ${earlier.method.parent.typeName}.${earlier.method.name}'s ` +
          `${earlier.httpMethod} "${earlier.template.source}": both match the same requests`,
      );
    }
    seen.set(key, binding);
  }
}

/** The template without its variable names: two templates of one shape match the same paths. */
function shapeOf(template: PathTemplate): string {
  const segments = template.segments.map((segment) => (segment.kind === "literal" ? `=${segment.value}` : segment.kind));
  return `${segments.join("/")}${template.verb === undefined ? "" : `:${template.verb}`}`;
}
