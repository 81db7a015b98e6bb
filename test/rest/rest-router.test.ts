import { describe, expect, it } from "vitest";
import { readRestBindings, type RestBinding } from "../../packages/runtime/src/rest/http-bindings.js";
import { createRestRouter } from "../../packages/runtime/src/rest/rest-router.js";
import { methodWithRule } from "./rule-fixture.js";

/** One binding per `[verb, template]`, each its own method (from the rule fixture), targets named by template. */
function router(...rules: [verb: string, template: string][]) {
  return routerReporting(() => {}, ...rules);
}

function routerReporting(onConflict: (message: string) => void, ...rules: [verb: string, template: string][]) {
  const entries = rules.map(([verb, template]) => {
    const pattern = ["get", "put", "post", "delete", "patch"].includes(verb)
      ? { case: verb as "get", value: template }
      : { case: "custom" as const, value: { kind: verb, path: template } };
    const [binding] = readRestBindings(methodWithRule({ pattern }));
    return { binding: binding as RestBinding, target: `${verb.toUpperCase()} ${template}` };
  });
  return createRestRouter(entries, (conflict) => onConflict(conflict.message));
}

function routed(found: ReturnType<ReturnType<typeof router>["route"]>): string | undefined {
  return found.kind === "match" ? found.target : found.kind;
}

describe("createRestRouter", () => {
  it("prefers a template with a verb, then literals over * over **, whatever the order of the rules", () => {
    const rules: [string, string][] = [
      ["get", "/v1/{name=**}"],
      ["get", "/v1/{name}"],
      ["get", "/v1/special"],
      ["get", "/v1/{name}:check"],
    ];
    for (const order of [rules, [...rules].reverse()]) {
      const r = router(...order);
      expect(routed(r.route("GET", "/v1/special"))).toBe("GET /v1/special");
      expect(routed(r.route("GET", "/v1/other"))).toBe("GET /v1/{name}");
      expect(routed(r.route("GET", "/v1/a/b"))).toBe("GET /v1/{name=**}");
      expect(routed(r.route("GET", "/v1/a:check"))).toBe("GET /v1/{name}:check");
    }
  });

  it("answers not-found for no matching path, and method-not-allowed with the methods the path has", () => {
    const r = router(["get", "/v1/{name}"], ["delete", "/v1/{name}"], ["post", "/v1/{name}:run"]);
    expect(r.route("GET", "/v2/x")).toEqual({ kind: "not-found" });
    expect(r.route("PUT", "/v1/x")).toEqual({ kind: "method-not-allowed", allow: ["DELETE", "GET", "HEAD"] });
    expect(r.route("GET", "/v1/x:run")).toMatchObject({ kind: "match", target: "GET /v1/{name}" });
  });

  it("routes HEAD to the GET rule of its path, unless a HEAD rule matches", () => {
    const r = router(["get", "/v1/{name}"], ["post", "/v1/{name}:run"], ["head", "/v1/{name=**}:peek"], ["get", "/v1/{name=**}:peek"]);
    expect(routed(r.route("HEAD", "/v1/x"))).toBe("GET /v1/{name}");
    expect(routed(r.route("HEAD", "/v1/a/b:peek"))).toBe("HEAD /v1/{name=**}:peek");
    // No GET there: HEAD is not allowed either.
    expect(r.route("HEAD", "/v1/x:run")).toMatchObject({ kind: "match", target: "GET /v1/{name}" });
    expect(router(["post", "/v1/{name}:run"]).route("HEAD", "/v1/x:run")).toEqual({ kind: "method-not-allowed", allow: ["POST"] });
  });

  it("matches any method for a custom rule of kind *", () => {
    const r = router(["*", "/v1/hooks/{name}"]);
    expect(routed(r.route("PROPFIND", "/v1/hooks/a"))).toBe("* /v1/hooks/{name}");
    expect(routed(r.route("GET", "/v1/hooks/a"))).toBe("* /v1/hooks/{name}");
  });

  it("hands over the path variables of the match", () => {
    const found = router(["get", "/v1/{name=shelves/*}/books/{count}"]).route("GET", "/v1/shelves/s1/books/3");
    expect(found.kind === "match" && Object.fromEntries(found.path)).toEqual({ name: "shelves/s1", count: "3" });
  });

  it("serves the first of two rules of one method and template shape, and reports the other naming both", () => {
    const conflicts: string[] = [];
    const shadowing = routerReporting((message) => conflicts.push(message), ["get", "/v1/{name}"], ["get", "/v1/{count}"]);
    expect(routed(shadowing.route("GET", "/v1/x"))).toBe("GET /v1/{name}");
    expect(conflicts).toEqual([
      expect.stringContaining(
        'google.api.http rule GET "/v1/{count}" is not served: rules.v1.Rules.Call\'s GET "/v1/{name}" matches the same requests and comes first',
      ),
    ]);
    const none: string[] = [];
    routerReporting((message) => none.push(message), ["get", "/v1/{name}"], ["post", "/v1/{count}"], ["get", "/v1/{name}:x"]);
    expect(none).toEqual([]);
  });
});
