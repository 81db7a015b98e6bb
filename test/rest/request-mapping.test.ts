import { create, toJson, type DescMethod, type JsonValue } from "@bufbuild/protobuf";
import { Code, RpcError } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";
import { readRestBindings, type RestBinding } from "../../packages/runtime/src/rest/http-bindings.js";
import { buildRequest } from "../../packages/runtime/src/rest/request-mapping.js";
import { responseToJson } from "../../packages/runtime/src/rest/response-mapping.js";
import { Bookstore, BookSchema, type SearchRequestSchema } from "../golden/ts/bookstore/v1/bookstore_pb.js";

function method(name: string): DescMethod {
  const found = Bookstore.methods.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no method ${name}`);
  return found;
}

/** Maps an HTTP request (path, query string, body) through the first binding whose template matches, to the request's JSON. */
function mapRequest(name: string, url: string, body = "", index = 0): JsonValue {
  const binding = readRestBindings(method(name))[index] as RestBinding;
  const parsed = new URL(url, "http://localhost");
  const path = binding.match(parsed.pathname);
  if (path === undefined) throw new Error(`${url} does not match ${binding.template.source}`);
  const message = buildRequest(binding, { path, query: parsed.searchParams, body }, {});
  return toJson(binding.method.input, message);
}

function mapError(name: string, url: string, body = ""): RpcError {
  try {
    mapRequest(name, url, body);
  } catch (error) {
    if (error instanceof RpcError) return error;
    throw error;
  }
  throw new Error("mapped without an error");
}

describe("buildRequest: path, body and query", () => {
  it("sets path variables, nested ones included", () => {
    expect(mapRequest("GetShelf", "/v1/shelves/fiction")).toEqual({ shelf: "fiction" });
    expect(mapRequest("GetBook", "/v1/shelves/1/books/2")).toEqual({ name: "shelves/1/books/2" });
    expect(mapRequest("GetBook", "/v1/archive/a/b%2Fc/d", "", 1)).toEqual({ name: "a/b%2Fc/d" });
  });

  it('takes body: "field" into that field and lets the path win inside it', () => {
    const json = mapRequest("UpdateBook", "/v1/shelves/1/books/2?updateMask=title,author", JSON.stringify({ name: "ignored", title: "Dune", pages: "412" }));
    expect(json).toEqual({ book: { name: "shelves/1/books/2", title: "Dune", pages: "412" }, updateMask: "title,author" });
  });

  it('takes body: "field" beside query parameters for the other fields, skipping query values for the body field', () => {
    const json = mapRequest("CreateBook", "/v1/shelves/1/books?request_id=r-1&book.title=from-query", JSON.stringify({ title: "Emma" }));
    expect(json).toEqual({ parent: "shelves/1", book: { title: "Emma" }, requestId: "r-1" });
  });

  it('takes body: "*" as the whole request, path variables on top, and no query parameters', () => {
    const json = mapRequest("CancelOrder", "/v1/orders/7:cancel?reason=query", JSON.stringify({ id: "8", reason: "late", refund_cents: 250 }));
    expect(json).toEqual({ id: "7", reason: "late", refundCents: 250 });
  });

  it("reads an empty body as no fields", () => {
    expect(mapRequest("CancelOrder", "/v1/orders/7:cancel", "")).toEqual({ id: "7" });
    expect(mapRequest("CreateBook", "/v1/shelves/1/books", "  ")).toEqual({ parent: "shelves/1" });
  });

  it("ignores a body when the rule has none, taking fields from the query", () => {
    expect(mapRequest("DeleteBook", "/v1/shelves/1/books/2?force=true", '{"force": false}')).toEqual({ name: "shelves/1/books/2", force: true });
  });

  it("skips query parameters that set path-bound fields, and names the request does not have", () => {
    expect(mapRequest("GetShelf", "/v1/shelves/a?shelf=b&utm_source=mail&_=123")).toEqual({ shelf: "a" });
  });

  it("answers a body that is not JSON, or JSON of the wrong shape, with INVALID_ARGUMENT", () => {
    const notJson = mapError("CancelOrder", "/v1/orders/7:cancel", "{reason:");
    expect(notJson.code).toBe(Code.INVALID_ARGUMENT);
    expect(notJson.message).toContain("the request body is not JSON");
    const wrongType = mapError("CancelOrder", "/v1/orders/7:cancel", JSON.stringify({ refundCents: "many" }));
    expect(wrongType.code).toBe(Code.INVALID_ARGUMENT);
    expect(wrongType.message).toContain("refund_cents");
    expect(mapError("CancelOrder", "/v1/orders/7:cancel", JSON.stringify({ nope: 1 })).message).toContain("nope");
  });
});

describe("buildRequest: query parameters of every kind", () => {
  const search = (query: string) => mapRequest("Search", `/v1/search?${query}`);

  it("sets scalars by proto or JSON name, with + and %20 as spaces", () => {
    expect(search("query=red+fox&in_stock=true&maxPrice=9.5&rating=4.25&min_pages=-9007199254740993&max_pages=18446744073709551615")).toEqual({
      query: "red fox",
      inStock: true,
      maxPrice: 9.5,
      rating: 4.25,
      minPages: "-9007199254740993",
      maxPages: "18446744073709551615",
    });
    expect(search("query=a%20b")).toEqual({ query: "a b" });
  });

  it("collects repeated fields from repeated parameters, in order", () => {
    expect(search("tags=a&tags=b&ids=1&ids=9223372036854775807")).toEqual({ tags: ["a", "b"], ids: ["1", "9223372036854775807"] });
  });

  it("reads enums by name or number, singular and repeated", () => {
    expect(search("genre=GENRE_POETRY&genres=1&genres=GENRE_POETRY")).toEqual({ genre: "GENRE_POETRY", genres: ["GENRE_FICTION", "GENRE_POETRY"] });
    expect(search("genre=2")).toEqual({ genre: "GENRE_POETRY" });
  });

  it("reads bytes in base64 and base64url", () => {
    const std = buildSearch("token=%2B%2F8%3D");
    const url = buildSearch("token=-_8");
    expect([...std.token]).toEqual([0xfb, 0xff]);
    expect([...url.token]).toEqual([0xfb, 0xff]);
  });

  it("sets nested fields through message fields", () => {
    expect(search("filter.author=Le+Guin&filter.pages.min=100&filter.pages.max=300")).toEqual({ filter: { author: "Le Guin", pages: { min: 100, max: 300 } } });
  });

  it("reads Timestamp, Duration, FieldMask and wrappers in their JSON forms", () => {
    expect(search("published_after=2024-02-29T12:00:00.5Z&max_age=90.5s&read_mask=title,filter.author&limit=20&used=false&language=en")).toEqual({
      publishedAfter: "2024-02-29T12:00:00.500Z",
      maxAge: "90.500s",
      readMask: "title,filter.author",
      limit: 20,
      used: false,
      language: "en",
    });
  });

  it("sets an optional field's presence", () => {
    expect(buildSearch("cursor=").cursor).toBe("");
    expect(buildSearch("").cursor).toBeUndefined();
  });

  it.each([
    ["query=a&query=b", '"query" is given more than once'],
    ["genre=GENRE_NOPE", "GENRE_NOPE"],
    ["in_stock=yes", "in_stock"],
    ["min_pages=1.5", "min_pages"],
    ["published_after=yesterday", "published_after"],
    ["filter=x", "bookstore.v1.SearchRequest.Filter field) cannot be set from a query parameter"],
    ["labels=x", "(a map field) cannot be set from a query parameter"],
    ["filters.author=x", "bookstore.v1.SearchRequest.filters is not a singular message field"],
  ])("answers %s with INVALID_ARGUMENT (%s)", (query, reason) => {
    const error = mapErrorOrSkip(query);
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.message).toContain(reason);
  });

  function buildSearch(query: string) {
    const binding = readRestBindings(method("Search"))[0] as RestBinding;
    return buildRequest(binding, { path: new Map(), query: new URLSearchParams(query), body: "" }, {}) as ReturnType<typeof create<typeof SearchRequestSchema>>;
  }

  function mapErrorOrSkip(query: string): RpcError {
    return mapError("Search", `/v1/search?${query}`);
  }
});

describe("responseToJson", () => {
  const book = create(BookSchema, { name: "shelves/1/books/2", title: "Dune", pages: 412n });

  it("writes the whole response with the JSON options", () => {
    const binding = readRestBindings(method("GetBook"))[0] as RestBinding;
    expect(responseToJson(binding, book, {})).toEqual({ name: "shelves/1/books/2", title: "Dune", pages: "412" });
    expect(responseToJson(binding, create(BookSchema, { bookPages: 1n } as never), { alwaysEmitImplicit: true, useProtoFieldName: true })).toMatchObject({
      name: "",
      genre: "GENRE_UNSPECIFIED",
      pages: "0",
    });
  });

  it("writes only the response_body field, its default when unset", () => {
    const binding = readRestBindings(method("GetBookTitle"))[1] as RestBinding;
    expect(responseToJson(binding, book, {})).toBe("Dune");
    expect(responseToJson(binding, create(BookSchema), {})).toBe("");
    expect(responseToJson(binding, book, { useProtoFieldName: true })).toBe("Dune");
  });
});
