import type { DescFile, DescMethod } from "@bufbuild/protobuf";
import { readRestBindings, splitRouteConflicts, type RestBinding } from "@stubwright/runtime/http-rules";

/**
 * Checks the `google.api.http` rules of every method of `files` as the
 * runtime's REST handler will read them (the same code, from
 * `@stubwright/runtime/http-rules`), so that a rule that cannot be served is a
 * generation error rather than a throw when the server starts: an invalid
 * template, a path variable, `body` or `response_body` naming a field that
 * is missing or of the wrong kind. Throws an Error naming the file,
 * service, method and rule. Returns one warning per client- or
 * bidi-streaming method that has a rule (those are not served over REST),
 * and one per rule of a file that an earlier rule of it shadows (additional
 * bindings included): the REST handler serves the earlier one.
 */
export function checkHttpRules(files: readonly DescFile[]): string[] {
  const warnings: string[] = [];
  for (const file of files) {
    const served: RestBinding[] = [];
    for (const method of file.services.flatMap((service) => service.methods)) {
      const bindings = readRestBindings(method);
      if (bindings.length > 0 && !servedOverRest(method)) {
        warnings.push(
          `${file.proto.name}: rpc ${method.parent.typeName}.${method.name}: its google.api.http rule is ignored: ` +
            `${method.methodKind.replace("_", "-")} methods are not served over REST (only unary and server-streaming ones are)`,
        );
      } else {
        served.push(...bindings);
      }
    }
    warnings.push(...splitRouteConflicts(served).conflicts.map((conflict) => conflict.message));
  }
  return warnings;
}

/** Whether the REST handler serves `method` when it has a rule: not when the client streams. */
function servedOverRest(method: DescMethod): boolean {
  return method.methodKind === "unary" || method.methodKind === "server_streaming";
}

/** Whether `method` has a `google.api.http` rule that REST will not serve, because the client streams. */
export function hasUnservedHttpRule(method: DescMethod): boolean {
  return !servedOverRest(method) && readRestBindings(method).length > 0;
}
