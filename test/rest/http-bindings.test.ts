import { describe, expect, it } from "vitest";
import { HttpRuleError, readRestBindings } from "../../packages/runtime/src/rest/http-bindings.js";
import { Bookstore } from "../golden/ts/bookstore/v1/bookstore_pb.js";
import { methodWithRule } from "./rule-fixture.js";

const byName = (name: string) => {
  const method = Bookstore.methods.find((candidate) => candidate.name === name);
  if (method === undefined) throw new Error(`no method ${name}`);
  return method;
};

describe("readRestBindings", () => {
  it("reads the rule of a generated descriptor: verb, template, path fields and body", () => {
    const [binding, ...rest] = readRestBindings(byName("UpdateBook"));
    expect(rest).toEqual([]);
    expect(binding?.httpMethod).toBe("PATCH");
    expect(binding?.template.source).toBe("/v1/{book.name=shelves/*/books/*}");
    expect([...(binding?.pathFields.get("book.name") ?? [])].map((field) => field.name)).toEqual(["book", "name"]);
    expect(binding?.body.kind === "field" && binding.body.field.name).toBe("book");
    expect(binding?.responseBody).toBeUndefined();
  });

  it("adds one binding per additional binding, each with its own verb and response_body", () => {
    const bindings = readRestBindings(byName("GetBookTitle"));
    expect(bindings.map((binding) => [binding.httpMethod, binding.template.source, binding.responseBody?.name])).toEqual([
      ["HEAD", "/v1/{name=shelves/*/books/*}:title", undefined],
      ["GET", "/v1/{name=shelves/*/books/*}:title", "title"],
    ]);
    expect(readRestBindings(byName("GetBook")).map((binding) => binding.template.source)).toEqual(["/v1/{name=shelves/*/books/*}", "/v1/archive/{name=**}"]);
  });

  it('reads body: "*" and no body', () => {
    expect(readRestBindings(byName("CancelOrder"))[0]?.body).toEqual({ kind: "all" });
    expect(readRestBindings(byName("DeleteBook"))[0]?.body).toEqual({ kind: "none" });
  });

  it("has no bindings for a method without the option", () => {
    expect(readRestBindings(byName("Ping"))).toEqual([]);
  });

  it.each([
    [{ get: "/v1/{missing}" }, 'path variable {missing}: rules.v1.Request has no field "missing"'],
    [{ get: "/v1/{tags}" }, "path variable {tags}: a path variable must be a singular scalar or enum field, not a list"],
    [{ get: "/v1/{inner}" }, "path variable {inner}: a path variable must be a singular scalar or enum field, not a message"],
    [{ get: "/v1/{name.x}" }, "rules.v1.Request.name is not a singular message field"],
    [{ get: "/v1/{inner.nope}" }, 'rules.v1.Inner has no field "nope"'],
    [{ post: "/v1/x", body: "nope" }, 'body "nope" is not a top-level field of rules.v1.Request'],
    [{ get: "/v1/x", responseBody: "nope" }, 'response_body "nope" is not a top-level field of rules.v1.Response'],
    [{ get: "v1/x" }, 'invalid path template "v1/x": it must start with "/"'],
    [{ get: "/v1/{name}/{name}" }, 'field "name" is bound twice'],
    [{}, "it sets no pattern"],
    [{ pattern: { case: "custom", value: { kind: "", path: "/x" } } }, "its custom pattern has no kind"],
    [{ get: "/v1/x", additionalBindings: [{ get: "/v2/x", additionalBindings: [{ get: "/v3/x" }] }] }, "must not have additional_bindings of their own"],
  ] as const)("rejects %j, naming the file, method and rule", (rule, reason) => {
    const init = "get" in rule || "post" in rule ? withPattern(rule) : rule;
    const method = methodWithRule(init as never);
    expect(() => readRestBindings(method)).toThrow(HttpRuleError);
    expect(() => readRestBindings(method)).toThrow(reason);
    expect(() => readRestBindings(method)).toThrow(/^rules\/v1\/rules\.proto: rpc rules\.v1\.Rules\.Call: google\.api\.http rule /);
  });

  it("reads a custom pattern with its kind in upper case", () => {
    const method = methodWithRule({ pattern: { case: "custom", value: { kind: "options", path: "/v1/{name}" } } });
    expect(readRestBindings(method)[0]?.httpMethod).toBe("OPTIONS");
  });
});

/** Turns `{ get: "/x", ... }` shorthand into an HttpRule init with the pattern oneof set. */
function withPattern(rule: Record<string, unknown>): Record<string, unknown> {
  const { get, post, additionalBindings, ...rest } = rule as { get?: string; post?: string; additionalBindings?: Record<string, unknown>[] };
  const pattern = get !== undefined ? { case: "get", value: get } : { case: "post", value: post };
  return { ...rest, pattern, additionalBindings: additionalBindings?.map(withPattern) ?? [] };
}
