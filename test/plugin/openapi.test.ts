import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CodeGeneratorResponse } from "@bufbuild/protobuf/wkt";
import { createOpenApiPlugin, runPlugin } from "@stubwright/protoc-gen-stubwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findProtoc } from "../apidocs/test-inputs.js";
import { repoRoot, tools } from "../support/generate-code.mjs";
import { validateOpenApi } from "../support/openapi-validation.js";
import { compileProtos, createRequest, decodeResponse, encodeRequest } from "../support/plugin-request.js";
import { allowTimeForPrograms, programTimeoutMs } from "../support/program-timeouts.js";

allowTimeForPrograms();

/**
 * protoc-gen-stubwright-openapi: OpenAPI 3.1 documents of the google.api.http
 * routes, valid per the official schema, with schemas per the protobuf JSON
 * mapping.
 */

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON documents, navigated by the assertions.
type Json = Record<string, any>;

const bin = join(repoRoot, "packages/protoc-gen-stubwright/bin/protoc-gen-stubwright-openapi");
const restFixtures = join(repoRoot, "test/fixtures/rest");
const scratch = mkdtempSync(join(tmpdir(), "stubwright-openapi-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const annotations = Object.fromEntries(
  ["annotations.proto", "http.proto"].map((name) => [`google/api/${name}`, readFileSync(join(repoRoot, "packages/runtime/proto/google/api", name), "utf8")]),
);

/** Runs the plugin in-process on a request for `files` of `set`. */
function generate(set: Parameters<typeof createRequest>[0], files: readonly string[], parameter = ""): CodeGeneratorResponse {
  return decodeResponse(runPlugin(createOpenApiPlugin(), encodeRequest(createRequest(set, files, parameter))));
}

/** `buf generate` of the bookstore fixture with the executable, into `out`; returns the document's text. */
function bufGenerateBookstore(out: string): string {
  const template = { version: "v2", plugins: [{ local: bin, out, strategy: "all" }] };
  execFileSync(tools.buf, ["generate", "--template", JSON.stringify(template), "--path", "bookstore"], { cwd: restFixtures, stdio: "pipe" });
  return readFileSync(join(out, "bookstore/v1/bookstore.openapi.json"), "utf8");
}

describe("the bookstore fixture (nested resources, custom verbs, every body mapping)", () => {
  let text: string;
  let doc: Json;
  beforeAll(() => {
    text = bufGenerateBookstore(join(scratch, "buf"));
    doc = JSON.parse(text) as Json;
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const verdict = await validateOpenApi(doc);
    expect(verdict.errors).toBe("");
    expect(verdict.version).toBe("3.1");
  });

  it("has one operation per rule and additional binding, client streams and rule-less methods left out", () => {
    const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      Object.keys(item as Json).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual([
      "GET /v1/shelves/{shelf}",
      "GET /v1/shelves/{shelvesId}/books/{booksId}",
      "PATCH /v1/shelves/{shelvesId}/books/{booksId}",
      "DELETE /v1/shelves/{shelvesId}/books/{booksId}",
      "GET /v1/archive/{name}",
      "POST /v1/shelves/{shelvesId}/books",
      "GET /v1/shelves/{shelvesId}/books",
      "POST /v1/orders/{id}:cancel",
      "HEAD /v1/shelves/{shelvesId}/books/{booksId}:title",
      "GET /v1/shelves/{shelvesId}/books/{booksId}:title",
      "GET /v1/search",
    ]);
    expect(text).not.toContain("ImportBooks");
    expect(text).not.toContain("Ping");
    expect(doc.paths["/v1/archive/{name}"].get.operationId).toBe("Bookstore_GetBook_1");
    expect(doc.tags).toEqual([{ name: "bookstore.v1.Bookstore" }]);
  });

  it("writes multi-segment variables out, one path parameter per wildcard, and single ones by field", () => {
    const get = doc.paths["/v1/shelves/{shelvesId}/books/{booksId}"].get;
    expect(get.parameters.map((p: Json) => [p.name, p.in, p.required])).toEqual([
      ["shelvesId", "path", true],
      ["booksId", "path", true],
    ]);
    expect(get.parameters[0].description).toContain("{name=shelves/*/books/*}");
    expect(get.description).toBe("A resource name variable, and a second binding with a `**` variable.");
    const archive = doc.paths["/v1/archive/{name}"].get.parameters[0];
    expect(archive.description).toMatch(/One or more segments, their "\/" unencoded/);
    expect(doc.paths["/v1/shelves/{shelf}"].get.parameters).toEqual([{ name: "shelf", in: "path", required: true, schema: { type: "string" } }]);
  });

  it("takes the request body per `body` and everything else from the query", () => {
    const update = doc.paths["/v1/shelves/{shelvesId}/books/{booksId}"].patch;
    expect(update.requestBody).toEqual({ required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/bookstore.v1.Book" } } } });
    expect(update.parameters.map((p: Json) => p.name)).toEqual(["shelvesId", "booksId", "updateMask"]);
    // body "*": the request's fields except those in the path; no query parameters.
    const cancel = doc.paths["/v1/orders/{id}:cancel"].post;
    expect(cancel.parameters.map((p: Json) => p.name)).toEqual(["id"]);
    expect(Object.keys(cancel.requestBody.content["application/json"].schema.properties)).toEqual(["reason", "refundCents"]);
    expect(doc.paths["/v1/shelves/{shelvesId}/books/{booksId}"].delete.requestBody).toBeUndefined();
  });

  it("has query parameters for nested, repeated, enum, int64, bytes and well-known-type fields", () => {
    const parameters = doc.paths["/v1/search"].get.parameters as Json[];
    const byName = Object.fromEntries(parameters.map((p) => [p.name, p]));
    expect(parameters.every((p) => p.in === "query")).toBe(true);
    expect(byName["filter.pages.min"].schema).toEqual({ type: "integer", format: "int32" });
    expect(byName.tags).toMatchObject({ style: "form", explode: true, schema: { type: "array", items: { type: "string" } } });
    expect(byName.genre.schema).toEqual({ $ref: "#/components/schemas/bookstore.v1.Genre" });
    expect(byName.genres.schema).toEqual({ type: "array", items: { $ref: "#/components/schemas/bookstore.v1.Genre" } });
    expect(byName.minPages.schema).toEqual({ type: "string", format: "int64" });
    expect(byName.token.schema).toMatchObject({ type: "string", contentEncoding: "base64" });
    expect(byName.publishedAfter.schema).toMatchObject({ type: "string", format: "date-time" });
    expect(byName.maxAge.schema).toMatchObject({ type: "string", pattern: expect.stringContaining("s$") });
    expect(byName.readMask.schema).toMatchObject({ type: "string" });
    // Maps and repeated messages cannot come from a query.
    expect(byName.labels).toBeUndefined();
    expect(byName.filters).toBeUndefined();
  });

  it("answers per `response_body`, server streams as NDJSON, errors as google.rpc.Status", () => {
    const title = doc.paths["/v1/shelves/{shelvesId}/books/{booksId}:title"].get.responses;
    expect(title["200"].content["application/json"].schema).toEqual({ type: "string" });
    const list = doc.paths["/v1/shelves/{shelvesId}/books"].get.responses["200"].content;
    expect(Object.keys(list)).toEqual(["application/x-ndjson"]);
    expect(list["application/x-ndjson"].schema.properties).toEqual({
      result: { $ref: "#/components/schemas/bookstore.v1.Book" },
      error: { $ref: "#/components/schemas/google.rpc.Status" },
    });
    expect(title.default.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/google.rpc.Status" });
    expect(doc.components.schemas["google.rpc.Status"].properties).toMatchObject({
      code: { type: "integer" },
      message: { type: "string" },
      details: { type: "array", items: { type: "object", required: ["@type"] } },
    });
  });

  it("writes schemas per the JSON mapping: int64 as string, enums by name, Timestamp as date-time", () => {
    const schemas = doc.components.schemas as Json;
    expect(Object.keys(schemas)).toEqual([...Object.keys(schemas)].sort());
    expect(schemas["bookstore.v1.Book"].properties).toMatchObject({
      pages: { type: "string", format: "int64" },
      genre: { $ref: "#/components/schemas/bookstore.v1.Genre" },
      published: { type: "string", format: "date-time" },
    });
    expect(schemas["bookstore.v1.Genre"]).toEqual({ type: "string", enum: ["GENRE_UNSPECIFIED", "GENRE_FICTION", "GENRE_POETRY"] });
  });

  it("is the same bytes under protoc as under buf", (context) => {
    const protoc = findProtoc();
    if (protoc === undefined) {
      context.skip();
      return;
    }
    const out = join(scratch, "protoc");
    execFileSync("mkdir", ["-p", out]);
    execFileSync(
      protoc.path,
      ["-I", ".", "-I", protoc.include, `--plugin=protoc-gen-stubwright-openapi=${bin}`, `--stubwright-openapi_out=${out}`, "bookstore/v1/bookstore.proto"],
      { cwd: restFixtures, stdio: "pipe" },
    );
    expect(readFileSync(join(out, "bookstore/v1/bookstore.openapi.json"), "utf8")).toBe(text);
  });
});

describe("schemas of every JSON mapping rule", () => {
  let doc: Json;
  beforeAll(() => {
    const set = compileProtos({
      ...annotations,
      "kinds/v1/kinds.proto": `syntax = "proto3";
// Kinds of fields.
package kinds.v1;
import "google/api/annotations.proto";
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";

// Serves kinds.
service Kinds {
  // Echoes a kind.
  rpc Echo(Kind) returns (Kind) { option (google.api.http) = { post: "/v1/kinds/{id}:echo" body: "*" }; }
  rpc Old(google.protobuf.Empty) returns (google.protobuf.Empty) {
    option deprecated = true;
    option (google.api.http) = { custom: { kind: "LIST" path: "/v1/kinds" } };
  }
  rpc Upload(stream Kind) returns (Kind) { option (google.api.http) = { post: "/v1/uploads" body: "*" }; }
}

message Kind {
  uint64 id = 1;
  // Either a name or a number.
  oneof choice {
    string name = 2;
    int32 number = 3;
  }
  optional bool flag = 4;
  map<string, Kind> children = 5;
  string renamed = 6 [json_name = "otherName"];
  bytes blob = 7;
  google.protobuf.Any any = 8;
  google.protobuf.Struct struct = 9;
  google.protobuf.Value value = 10;
  google.protobuf.ListValue list = 11;
  google.protobuf.Int64Value big = 12;
  google.protobuf.BoolValue maybe = 13;
  google.protobuf.Duration wait = 14;
  google.protobuf.FieldMask mask = 15;
  google.protobuf.NullValue nothing = 16;
  string legacy = 17 [deprecated = true];
  Level level = 18;
}

enum Level {
  LEVEL_UNSPECIFIED = 0;
  // The highest.
  LEVEL_HIGH = 1;
}
`,
    });
    const response = generate(set, ["kinds/v1/kinds.proto"]);
    expect(response.error).toBe("");
    expect(response.file.map((file) => file.name)).toEqual(["kinds/v1/kinds.openapi.json"]);
    doc = JSON.parse(response.file[0]?.content ?? "") as Json;
  });

  it("is valid", async () => {
    expect((await validateOpenApi(doc)).errors).toBe("");
  });

  it("maps oneofs, maps, json_name, proto3 optional, bytes, WKTs, deprecated and comments", () => {
    const kind = doc.components.schemas["kinds.v1.Kind"] as Json;
    expect(kind.description).toBeUndefined();
    expect(kind.properties).toMatchObject({
      id: { type: "string", format: "uint64" },
      name: { type: "string" },
      number: { type: "integer", format: "int32" },
      flag: { type: "boolean" },
      children: { type: "object", additionalProperties: { $ref: "#/components/schemas/kinds.v1.Kind" } },
      otherName: { type: "string" },
      blob: { type: "string", contentEncoding: "base64" },
      any: { type: "object", required: ["@type"], additionalProperties: true },
      struct: { type: "object", additionalProperties: true },
      list: { type: "array", items: {} },
      big: { type: "string", format: "int64" },
      maybe: { type: "boolean" },
      wait: { type: "string" },
      mask: { type: "string" },
      nothing: { type: "null" },
      legacy: { type: "string", deprecated: true },
      level: { $ref: "#/components/schemas/kinds.v1.Level" },
    });
    expect(kind.properties.renamed).toBeUndefined();
    expect(kind.allOf).toEqual([
      { description: "Either a name or a number.\n\nAt most one of name, number (oneof choice).", not: { anyOf: [{ required: ["name", "number"] }] } },
    ]);
    expect(doc.components.schemas["kinds.v1.Level"].description).toBe("- LEVEL_HIGH: The highest.");
  });

  it("puts a custom method OpenAPI has no field for in an extension, deprecated; leaves client streams out; describes the package and service", () => {
    const item = doc.paths["/v1/kinds"] as Json;
    expect(Object.keys(item)).toEqual(["x-stubwright-operations"]);
    expect(item["x-stubwright-operations"].LIST).toMatchObject({ operationId: "Kinds_Old", deprecated: true });
    expect(doc.paths["/v1/uploads"]).toBeUndefined();
    expect(doc.info).toEqual({ title: "kinds.v1", version: "v1", description: "Kinds of fields." });
    expect(doc.tags).toEqual([{ name: "kinds.v1.Kinds", description: "Serves kinds." }]);
    expect(doc.paths["/v1/kinds/{id}:echo"].post.description).toBe("Echoes a kind.");
  });
});

describe("protoc-gen-stubwright-openapi on what it cannot document", () => {
  it("a rule that cannot be served is an error naming the file, service, method and rule", () => {
    const set = compileProtos({
      ...annotations,
      "bad/v1/bad.proto": `syntax = "proto3";
package bad.v1;
import "google/api/annotations.proto";
message M { string name = 1; }
service S { rpc Get(M) returns (M) { option (google.api.http) = { get: "/v1/{missing}" }; } }
`,
    });
    const response = generate(set, ["bad/v1/bad.proto"]);
    expect(response.file).toEqual([]);
    expect(response.error).toMatch(
      /^protoc-gen-stubwright-openapi: bad\/v1\/bad\.proto: rpc bad\.v1\.S\.Get: google\.api\.http rule get: "\/v1\/\{missing\}": path variable \{missing\}/,
    );
  });

  it("a rule an earlier one shadows is left out of a valid document, with a warning naming both", async () => {
    const set = compileProtos({
      ...annotations,
      "shadow/v1/shadow.proto": `syntax = "proto3";
package shadow.v1;
import "google/api/annotations.proto";
message M { string name = 1; string stream = 2; }
service S {
  rpc Read(M) returns (stream M) { option (google.api.http) = { get: "/v1/{stream=streams/*}" }; }
  rpc Split(M) returns (M) { option (google.api.http) = { get: "/v1/{name=streams/*}" }; }
}
`,
    });
    const warnings: string[] = [];
    const plugin = createOpenApiPlugin((message) => warnings.push(message));
    const response = decodeResponse(runPlugin(plugin, encodeRequest(createRequest(set, ["shadow/v1/shadow.proto"]))));
    expect(response.error).toBe("");
    const doc = JSON.parse(response.file[0]?.content ?? "{}") as Json;
    expect(Object.keys(doc.paths)).toEqual(["/v1/streams/{streamsId}"]);
    expect(doc.paths["/v1/streams/{streamsId}"].get.operationId).toBe("S_Read");
    expect((await validateOpenApi(doc)).errors).toBe("");
    expect(warnings).toEqual([
      'shadow/v1/shadow.proto: rpc shadow.v1.S.Split: google.api.http rule GET "/v1/{name=streams/*}" is not served: shadow.v1.S.Read\'s GET "/v1/{stream=streams/*}" matches the same requests and comes first',
    ]);
  });

  it("an option is an error; a file without rules gets no document", () => {
    const set = compileProtos({ "plain/v1/plain.proto": 'syntax = "proto3";\npackage plain.v1;\nmessage M {}\nservice S { rpc Get(M) returns (M); }\n' });
    expect(generate(set, ["plain/v1/plain.proto"], "format=yaml").error).toMatch(
      /unknown option "format=yaml"; protoc-gen-stubwright-openapi takes no options/,
    );
    expect(generate(set, ["plain/v1/plain.proto"])).toMatchObject({ error: "", file: [] });
  });

  it("the validator rejects a document that breaks the 3.1 schema (so passing means something)", async () => {
    const verdict = await validateOpenApi({ openapi: "3.1.0", info: { title: "x" }, paths: { "no-slash": {} } });
    expect(verdict.valid).toBe(false);
    const dangling = await validateOpenApi({
      openapi: "3.1.0",
      info: { title: "x", version: "1" },
      paths: {},
      components: { schemas: { A: { $ref: "#/components/schemas/B" } } },
    });
    expect(dangling.valid).toBe(false);
  });

  it("the executable prints its version", () => {
    const result = spawnSync(process.execPath, [bin, "--version"], { timeout: programTimeoutMs });
    expect(result.stdout.toString()).toMatch(/^protoc-gen-stubwright-openapi v\d+\.\d+\.\d+/);
  });
});
