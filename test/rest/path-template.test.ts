import { describe, expect, it } from "vitest";
import { createPathMatcher } from "../../packages/runtime/src/rest/path-matcher.js";
import { PercentDecodeError } from "../../packages/runtime/src/rest/percent-decode.js";
import { parsePathTemplate, PathTemplateError } from "../../packages/runtime/src/rest/path-template.js";

/** Matches `path` against `template` and returns the bindings as a plain object, or undefined. */
function match(template: string, path: string): Record<string, string> | undefined {
  const bindings = createPathMatcher(parsePathTemplate(template))(path);
  return bindings === undefined ? undefined : Object.fromEntries(bindings);
}

describe("parsePathTemplate", () => {
  it("parses literals, wildcards, variables (with and without a template) and a verb", () => {
    const template = parsePathTemplate("/v1/{parent=shelves/*}/books/{book.id}/*/**:cancel");
    expect(template.verb).toBe("cancel");
    expect(template.segments).toEqual([
      { kind: "literal", value: "v1" },
      { kind: "literal", value: "shelves" },
      { kind: "wildcard" },
      { kind: "literal", value: "books" },
      { kind: "wildcard" },
      { kind: "wildcard" },
      { kind: "deep-wildcard" },
    ]);
    expect(template.variables).toEqual([
      { fieldPath: ["parent"], start: 1, end: 3, multiSegment: true },
      { fieldPath: ["book", "id"], start: 4, end: 5, multiSegment: false },
    ]);
  });

  it("treats {var} as {var=*} (single segment) and {var=**} as multi-segment", () => {
    expect(parsePathTemplate("/{a}").variables[0]?.multiSegment).toBe(false);
    expect(parsePathTemplate("/{a=*}").variables[0]?.multiSegment).toBe(false);
    expect(parsePathTemplate("/{a=**}").variables[0]?.multiSegment).toBe(true);
    expect(parsePathTemplate("/{a=x/*}").variables[0]?.multiSegment).toBe(true);
  });

  it("takes the verb only after the last segment, not from inside a variable", () => {
    expect(parsePathTemplate("/v1/{name=a/*}:undelete").verb).toBe("undelete");
    expect(parsePathTemplate("/v1/{name=a/*}").verb).toBeUndefined();
    expect(parsePathTemplate("/").segments).toEqual([]);
  });

  it.each([
    ["v1/books", 'must start with "/"'],
    ["", 'must start with "/"'],
    ["/v1//books", "empty segment"],
    ["/v1/books/", "empty segment"],
    ["/v1/{name", '"{" without "}"'],
    ["/v1/name}", '"}" without "{"'],
    ["/v1/{a={b}}", "must not contain another variable"],
    ["/v1/x{a}", "whole segment"],
    ["/v1/{a}x", "whole segment"],
    ["/v1/{1a}", "is not a field path"],
    ["/v1/{a..b}", "is not a field path"],
    ["/v1/{}", "is not a field path"],
    ["/v1/**/books/**", 'only one "**" may appear'],
    ["/v1/{a=**}/{b=**}", 'only one "**" may appear'],
    ["/v1/{a}/{a}", 'field "a" is bound twice'],
    ["/v1/bo*ks", "is not a literal"],
    ["/v1/bo ks", "is not a literal"],
    ["/v1/books:", "verb"],
    ["/v1/{a=}", "empty segment"],
  ])("rejects %j (%s)", (source, reason) => {
    expect(() => parsePathTemplate(source)).toThrow(PathTemplateError);
    expect(() => parsePathTemplate(source)).toThrow(reason);
    expect(() => parsePathTemplate(source)).toThrow(`"${source}"`);
  });
});

describe("createPathMatcher", () => {
  it("binds single-segment variables and matches literals exactly", () => {
    expect(match("/v1/shelves/{shelf}", "/v1/shelves/42")).toEqual({ shelf: "42" });
    expect(match("/v1/shelves/{shelf}", "/v1/shelves")).toBeUndefined();
    expect(match("/v1/shelves/{shelf}", "/v1/shelves/42/books")).toBeUndefined();
    expect(match("/v1/shelves/{shelf}", "/v2/shelves/42")).toBeUndefined();
    expect(match("/v1/shelves/{shelf}", "/v1/shelves/")).toBeUndefined();
  });

  it("binds a variable over several segments, and nested field paths", () => {
    expect(match("/v1/{name=shelves/*/books/*}", "/v1/shelves/1/books/2")).toEqual({ name: "shelves/1/books/2" });
    expect(match("/v1/{name=shelves/*/books/*}", "/v1/shelves/1/notes/2")).toBeUndefined();
    expect(match("/v1/{book.name=shelves/*/books/*}", "/v1/shelves/a/books/b")).toEqual({ "book.name": "shelves/a/books/b" });
  });

  it("lets ** take zero or more segments at the end", () => {
    expect(match("/v1/{path=**}", "/v1/a/b/c")).toEqual({ path: "a/b/c" });
    expect(match("/v1/{path=**}", "/v1/")).toEqual({ path: "" });
    expect(match("/v1/files/**", "/v1/files")).toEqual({});
    expect(match("/v1/{name=files/**}", "/v1/files/x/y")).toEqual({ name: "files/x/y" });
    expect(match("/v1/{name=files/**}", "/v1/other/x")).toBeUndefined();
  });

  it("lets one ** take the middle of a path, segments after it matching the end", () => {
    const firestore = "/v1/{parent=projects/*/databases/*/documents/*/**}/{collection_id}";
    expect(match(firestore, "/v1/projects/p/databases/d/documents/users/u1/posts")).toEqual({
      parent: "projects/p/databases/d/documents/users/u1",
      collection_id: "posts",
    });
    expect(match(firestore, "/v1/projects/p/databases/d/documents/users/posts")).toEqual({
      parent: "projects/p/databases/d/documents/users",
      collection_id: "posts",
    });
    expect(match(firestore, "/v1/projects/p/databases/d/documents/users")).toBeUndefined();
    expect(match("/v1/**/books/{id}", "/v1/books/1")).toEqual({ id: "1" });
    expect(match("/v1/**/books/{id}", "/v1/a/b/books/1")).toEqual({ id: "1" });
    expect(match("/v1/**/books/{id}", "/v1/a/b/shelves/1")).toBeUndefined();
  });

  it("requires the verb when the template has one, and keeps a colon in a value when it has none", () => {
    expect(match("/v1/orders/{id}:cancel", "/v1/orders/7:cancel")).toEqual({ id: "7" });
    expect(match("/v1/orders/{id}:cancel", "/v1/orders/7")).toBeUndefined();
    expect(match("/v1/orders/{id}:cancel", "/v1/orders/7:refund")).toBeUndefined();
    expect(match("/v1/orders/{id}", "/v1/orders/7:cancel")).toEqual({ id: "7:cancel" });
    expect(match("/v1/{name=**}:undelete", "/v1/a/b:undelete")).toEqual({ name: "a/b" });
  });

  it("decodes every escape in single-segment variables, %2F included", () => {
    expect(match("/v1/{id}", "/v1/a%2Fb%20c%3Fd%25")).toEqual({ id: "a/b c?d%" });
    expect(match("/v1/{id}", "/v1/caf%C3%A9")).toEqual({ id: "café" });
  });

  it("decodes multi-segment variables except %2F and %2f, which stay encoded", () => {
    expect(match("/v1/{name=**}", "/v1/a%2Fb/c%2fd/e%20f")).toEqual({ name: "a%2Fb/c%2fd/e f" });
    expect(match("/v1/{name=shelves/*}", "/v1/shelves/x%2Fy")).toEqual({ name: "shelves/x%2Fy" });
  });

  it("matches literals written percent-encoded in the URL", () => {
    expect(match("/v1/shelves/{shelf}", "/v1/%73helves/1")).toEqual({ shelf: "1" });
  });

  it("fails with a PercentDecodeError on a malformed escape or bytes that are not UTF-8", () => {
    expect(() => match("/v1/{id}", "/v1/a%zz")).toThrow(PercentDecodeError);
    expect(() => match("/v1/{id}", "/v1/a%2")).toThrow(PercentDecodeError);
    expect(() => match("/v1/{id}", "/v1/%C3")).toThrow(PercentDecodeError);
  });

  it("matches the root template only at the root", () => {
    expect(match("/", "/")).toEqual({});
    expect(match("/", "/x")).toBeUndefined();
  });
});
