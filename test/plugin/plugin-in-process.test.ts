import { clone, create } from "@bufbuild/protobuf";
import { Edition, FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { createStubwrightPlugin, runPlugin } from "@stubwright/protoc-gen-stubwright";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { compileProtos, createRequest, decodeResponse, encodeRequest, generateInProcess, runFreshPlugin } from "../support/plugin-request.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

/**
 * The plugin run in-process (a fresh instance per run, through `runPlugin`
 * as the executable does) on requests built from `buf build` output.
 */

const protos = {
  // Messages only: no stubs.
  "shop/v1/types.proto": `syntax = "proto3";
package shop.v1;
message Item { string sku = 1; }
message Query { string prefix = 1; }
`,
  "shop/v1/catalog.proto": `syntax = "proto3";
package shop.v1;
import "shop/v1/types.proto";

// The catalog of the shop.
// Comments may contain */ which must not end the JSDoc,
// and keep their indentation:
//   catalog.getItem({ prefix: "HAM" })
service Catalog {
  // Looks one item up.
  rpc GetItem(Query) returns (Item);
  // Streams matching items.
  rpc ListItems(Query) returns (stream Item);
  rpc ImportItems(stream Item) returns (Query);
  rpc Sync(stream Query) returns (stream Item); // Keeps both sides in step.
  // Use GetItem.
  rpc FetchItem(Query) returns (Item) {
    option deprecated = true;
  }
}

// Replaced by Catalog.
service OldCatalog {
  option deprecated = true;
  rpc Get(Query) returns (Item);
}
`,
  // proto2 and editions inputs generate like proto3 ones.
  "shop/v1/legacy.proto": `syntax = "proto2";
package shop.v1;
message Ping { required string id = 1; }
service Legacy { rpc Echo(Ping) returns (Ping); }
`,
  // Deprecated as a whole: so is everything generated from it.
  "shop/v1/sunset.proto": `syntax = "proto3";
package shop.v1;
import "shop/v1/types.proto";
option deprecated = true;
// Goes away.
service Sunset {
  rpc Get(Query) returns (Item);
  rpc Watch(Query) returns (stream Item);
}
`,
  "shop/v2/modern.proto": `edition = "2023";
package shop.v2;
message Pong { string id = 1; }
service Modern { rpc Echo(Pong) returns (Pong); }
`,
};
const catalog = "shop/v1/catalog.proto";
const types = "shop/v1/types.proto";

let set: FileDescriptorSet;
beforeAll(() => {
  set = compileProtos(protos);
});

function generate(files: readonly string[], parameter: string) {
  const result = generateInProcess(createRequest(set, files, parameter));
  expect(result.error).toBe("");
  return result.files;
}

describe("targets", () => {
  const cases: [parameter: string, files: string[]][] = [
    ["target=ts", ["shop/v1/catalog_grpc.ts"]],
    ["target=js", ["shop/v1/catalog_grpc.js"]],
    ["target=dts", ["shop/v1/catalog_grpc.d.ts"]],
    ["target=js+dts", ["shop/v1/catalog_grpc.d.ts", "shop/v1/catalog_grpc.js"]],
    ["target=ts+js+dts", ["shop/v1/catalog_grpc.d.ts", "shop/v1/catalog_grpc.js", "shop/v1/catalog_grpc.ts"]],
    // No target: js+dts, as protoc-gen-es.
    ["", ["shop/v1/catalog_grpc.d.ts", "shop/v1/catalog_grpc.js"]],
  ];
  for (const [parameter, expected] of cases) {
    it(`${parameter === "" ? "(no parameter)" : parameter} writes ${expected.join(", ")}`, () => {
      expect([...generate([catalog, types], parameter).keys()].sort()).toEqual(expected);
    });
  }

  it("a file without services produces no output, unless keep_empty_files=true", () => {
    expect(generate([types], "target=ts").size).toBe(0);
    expect(generate([types], "target=ts+js+dts,keep_empty_files=false").size).toBe(0);
    expect([...generate([types, catalog], "target=ts+js+dts,keep_empty_files=true").keys()].sort()).toEqual([
      "shop/v1/catalog_grpc.d.ts",
      "shop/v1/catalog_grpc.js",
      "shop/v1/catalog_grpc.ts",
      "shop/v1/types_grpc.d.ts",
      "shop/v1/types_grpc.js",
      "shop/v1/types_grpc.ts",
    ]);
  });

  it("keep_empty_files=true writes an empty module for each target and module style", () => {
    const files = generate([types], "target=ts+js+dts,keep_empty_files=true,import_extension=js");
    const commonJs = generate([types], "target=js,keep_empty_files=true,js_import_style=legacy_commonjs").get("shop/v1/types_grpc.js") ?? "";
    for (const content of [...files.values(), commonJs]) {
      expect(content).toContain("// @generated from file shop/v1/types.proto (package shop.v1, syntax proto3)");
    }
    expect(files.get("shop/v1/types_grpc.ts")).toMatch(/^export \{\};$/m);
    expect(files.get("shop/v1/types_grpc.d.ts")).toMatch(/^export \{\};$/m);
    expect(files.get("shop/v1/types_grpc.js")).toMatch(/^export \{\};$/m);
    expect(commonJs).not.toMatch(/\bexport\b/);
    expect(compileEmptyModules(files, commonJs)).toEqual({ ts: "", node: { esm: [], commonJs: {} } });
  });

  it("proto2 and edition 2023 files generate stubs", () => {
    const files = generate(["shop/v1/legacy.proto", "shop/v2/modern.proto"], "target=ts");
    expect([...files.keys()].sort()).toEqual(["shop/v1/legacy_grpc.ts", "shop/v2/modern_grpc.ts"]);
    expect(files.get("shop/v1/legacy_grpc.ts")).toContain(
      "export const LegacyDefinition: ServiceDefinitionOf<typeof Legacy> = /*@__PURE__*/ defineService(Legacy);",
    );
    expect(files.get("shop/v2/modern_grpc.ts")).toContain(
      "export const ModernDefinition: ServiceDefinitionOf<typeof Modern> = /*@__PURE__*/ defineService(Modern);",
    );
  });

  it("js carries values only, dts types only, ts both", () => {
    const files = generate([catalog], "target=ts+js+dts");
    const js = files.get("shop/v1/catalog_grpc.js") ?? "";
    const dts = files.get("shop/v1/catalog_grpc.d.ts") ?? "";
    const ts = files.get("shop/v1/catalog_grpc.ts") ?? "";
    expect(js).toContain("export const CatalogDefinition = /*@__PURE__*/ defineService(Catalog);");
    expect(js).toContain("export function createCatalogClient(source, options) {");
    expect(js).not.toMatch(/interface|import type|: ClientSource/);
    expect(dts).toContain("export declare const CatalogDefinition: ServiceDefinitionOf<typeof Catalog>;");
    expect(dts).toContain("export declare function createCatalogClient(source: ClientSource, options?: ClientOptions): CatalogClient;");
    expect(dts).toContain("export interface CatalogHandlers {");
    expect(dts).not.toMatch(/^import \{/m);
    expect(ts).toContain("export const CatalogDefinition: ServiceDefinitionOf<typeof Catalog> = /*@__PURE__*/ defineService(Catalog);");
    expect(ts).toContain("export interface CatalogClient {");
    expect(ts).toContain("export function createCatalogClient(source: ClientSource, options?: ClientOptions): CatalogClient {");
  });

  it("every call kind gets its signatures; paths and schemas come from the GenService", () => {
    const ts = generate([catalog], "target=ts").get("shop/v1/catalog_grpc.ts") ?? "";
    // The definition restates no path and no schema: the runtime reads them from protoc-gen-es's Catalog.
    expect(ts).not.toContain("/shop.v1.Catalog/");
    expect(ts).not.toMatch(/^import \{[^}]*Schema\b/m);
    expect(ts).toContain('import { Catalog, OldCatalog } from "./catalog_pb";');
    expect(ts).toContain("  readonly listItems: (request: MessageInitShape<typeof QuerySchema>, options?: CallOptions) => AsyncIterable<Item>;");
    expect(ts).toContain("  readonly importItems: (requests: AsyncIterable<MessageInitShape<typeof ItemSchema>>, options?: CallOptions) => Promise<Query>;");
    expect(ts).toContain("  importItems: (requests: AsyncIterable<Item>, context: ServerCallContext) => MaybePromise<MessageInitShape<typeof QuerySchema>>;");
    expect(ts).toContain("  sync: (requests: AsyncIterable<Query>, context: ServerCallContext) => AsyncIterable<MessageInitShape<typeof ItemSchema>>;");
    expect(ts).toContain("  getItem: (request: Query, context: ServerCallContext) => MaybePromise<MessageInitShape<typeof ItemSchema>>;");
  });
});

/** The module specifiers a generated file imports or requires. */
const importsOf = (content: string | undefined): string[] => [...(content ?? "").matchAll(/(?:from |require\()"([^"]+)"/g)].map((match) => match[1] ?? "");

describe("import options", () => {
  it("import_extension sets the extension of relative imports only", () => {
    const byExtension = Object.fromEntries(
      ["none", "js", "ts"].map((extension) => [
        extension,
        importsOf(generate([catalog], `target=ts,import_extension=${extension}`).get("shop/v1/catalog_grpc.ts")),
      ]),
    );
    expect(new Set(byExtension.none)).toEqual(new Set(["@stubwright/runtime/codegenv1", "./types_pb", "./catalog_pb", "@bufbuild/protobuf"]));
    expect(new Set(byExtension.js)).toEqual(new Set(["@stubwright/runtime/codegenv1", "./types_pb.js", "./catalog_pb.js", "@bufbuild/protobuf"]));
    expect(new Set(byExtension.ts)).toEqual(new Set(["@stubwright/runtime/codegenv1", "./types_pb.ts", "./catalog_pb.ts", "@bufbuild/protobuf"]));
  });

  it("js_import_style=legacy_commonjs turns the js output into CommonJS", () => {
    const js = generate([catalog], "target=js,js_import_style=legacy_commonjs").get("shop/v1/catalog_grpc.js") ?? "";
    expect(js).not.toMatch(/^(import|export) /m);
    expect(js).toMatch(/^const \{ createClient, defineService \} = require\("@stubwright\/runtime\/codegenv1"\);$/m);
    expect(js).toMatch(/^const \{ Catalog, OldCatalog \} = require\("\.\/catalog_pb"\);$/m);
    expect(js).toContain("exports.CatalogDefinition = CatalogDefinition;");
    expect(js).toContain("exports.createCatalogClient = createCatalogClient;");
    // The module style is for .js only; TypeScript output keeps ES modules.
    const ts = generate([catalog], "target=ts,js_import_style=legacy_commonjs").get("shop/v1/catalog_grpc.ts") ?? "";
    expect(ts).toContain('import { Catalog, OldCatalog } from "./catalog_pb";');
  });

  it("runtime_package and rewrite_imports change where imports point", () => {
    const ts =
      generate([catalog], "target=ts,import_extension=js,runtime_package=@acme/rpc-runtime,rewrite_imports=./shop/**/*_pb.js:@acme/protos").get(
        "shop/v1/catalog_grpc.ts",
      ) ?? "";
    expect(new Set(importsOf(ts))).toEqual(
      new Set(["@acme/rpc-runtime/codegenv1", "@acme/protos/shop/v1/types_pb.js", "@acme/protos/shop/v1/catalog_pb.js", "@bufbuild/protobuf"]),
    );
  });

  it("the preamble names the plugin, its version and the parameter", () => {
    const ts = generate([catalog], "target=ts,import_extension=js").get("shop/v1/catalog_grpc.ts") ?? "";
    expect(ts).toMatch(/^\/\/ @generated by protoc-gen-stubwright v\d+\.\d+\.\d+ with parameter "target=ts,import_extension=js"$/m);
    expect(ts).toContain("// @generated from file shop/v1/catalog.proto (package shop.v1, syntax proto3)");
  });
});

/** `value` with every character that means something in a RegExp escaped. */
function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("errors become a CodeGeneratorResponse error, never a throw", () => {
  const failures: [what: string, parameter: string, expected: RegExp][] = [
    ["an unknown option", "target=ts,no_such_option=1", /invalid option "no_such_option=1": unknown option "no_such_option"/],
    ["an unknown option without a value", "target=ts,verbose", /unknown option "verbose"/],
    ["a malformed target", "target=python", /invalid option "target=python": target accepts ts, js or dts, or a combination/],
    ["a malformed target combination", "target=ts+rs", /invalid option "target=ts\+rs": target accepts/],
    ["a malformed import_extension", "import_extension=mjs", /invalid option "import_extension=mjs": import_extension accepts js, ts or none/],
    ["a malformed js_import_style", "js_import_style=amd", /invalid option "js_import_style=amd": js_import_style accepts module or legacy_commonjs/],
    ["a malformed keep_empty_files", "keep_empty_files=maybe", /invalid option "keep_empty_files=maybe": keep_empty_files accepts true or false/],
    ["a malformed rewrite_imports", "rewrite_imports=nocolon", /invalid option "rewrite_imports=nocolon": must be in the form of <pattern>:<target>/],
    ["a malformed runtime_package", "runtime_package=not a package", /invalid option "runtime_package=not a package": runtime_package must be/],
    ["an empty runtime_package", "runtime_package=", /invalid option "runtime_package=": runtime_package must be/],
    ...[
      "../anything",
      "..",
      "./runtime",
      "/opt/runtime",
      "@scope/../runtime",
      "@scope/name/../../x",
      "pkg/./x",
      "pkg//x",
      "pkg/",
      "@scope/",
      "@/runtime",
      ".hidden",
      "_private",
      "Runtime",
      "https://example.com/runtime.js",
      "file:../runtime",
      "C:\\runtime",
      " pkg",
      "pkg name",
      "pkg\tname",
      "a".repeat(215),
    ].map((value): [string, string, RegExp] => [
      "a runtime_package that is no bare package specifier",
      `runtime_package=${value}`,
      new RegExp(`invalid option "runtime_package=${escapeRegExp(value)}": runtime_package must be a bare package specifier`),
    ]),
    ...["@acme/rpc-runtime/v2/index.js", "pkg/entry.mjs", "pkg/types.d.ts", "@scope/name/exports.json"].map((value): [string, string, RegExp] => [
      "a runtime_package that names a file",
      `runtime_package=${value}`,
      new RegExp(`invalid option "runtime_package=${escapeRegExp(value)}": runtime_package must name a package or a subpath folder, not a file`),
    ]),
  ];
  for (const [what, parameter, expected] of failures) {
    it(`${what} (${parameter})`, () => {
      const result = generateInProcess(createRequest(set, [catalog], parameter));
      expect(result.error).toMatch(/^protoc-gen-stubwright: /);
      expect(result.error).toMatch(expected);
      expect(result.error).not.toMatch(/\n\s+at /);
      expect(result.files.size).toBe(0);
    });
  }

  it.each(["@stubwright/runtime", "@scope/name/subpath", "my-runtime", "my.runtime", "@acme/rpc-runtime/v2", "node.js", "a".repeat(214)])(
    "runtime_package=%s, a bare package specifier, is accepted, and its codegenv1 entry imported from",
    (value) => {
      const result = generateInProcess(createRequest(set, [catalog], `target=ts,runtime_package=${value}`));
      expect(result.error ?? "").toBe("");
      const imported = new Set([...result.files.values()].flatMap((content) => importsOf(content)));
      expect(imported).toContain(`${value}/codegenv1`);
      expect([...imported].filter((from) => from.startsWith(value))).toEqual([`${value}/codegenv1`]);
    },
  );

  it("an undecodable request", () => {
    for (const bytes of [[0xff, 0xff, 0xff], [0x0a], [0x7a, 0x05, 0x01]]) {
      const response = runFreshPlugin(new Uint8Array(bytes));
      expect(response.error).toMatch(/^protoc-gen-stubwright: malformed CodeGeneratorRequest on stdin: /);
      expect(response.file).toEqual([]);
    }
  });

  it("a file to generate that the request does not contain", () => {
    const result = generateInProcess(createRequest(set, ["shop/v1/missing.proto"], "target=ts"));
    expect(result.error).toMatch(/shop\/v1\/missing\.proto/);
  });

  it("a request whose files miss a dependency", () => {
    const withoutTypes = create(FileDescriptorSetSchema, { file: set.file.filter((file) => file.name !== types) });
    const result = generateInProcess(createRequest(withoutTypes, [catalog], "target=ts"));
    expect(result.error).toMatch(/^protoc-gen-stubwright: /);
    expect(result.error).toMatch(/shop\.v1\.Query|shop\/v1\/types\.proto/);
  });

  it("an edition the plugin does not support names the file", () => {
    const future = clone(FileDescriptorSetSchema, set);
    const modern = future.file.find((file) => file.name === "shop/v2/modern.proto");
    expect(modern).toBeDefined();
    modern!.edition = Edition.EDITION_99999_TEST_ONLY;
    const result = generateInProcess(createRequest(future, ["shop/v2/modern.proto"], "target=ts"));
    expect(result.error).toMatch(/shop\/v2\/modern\.proto: unsupported edition/);
  });

  it("runPlugin returns bytes for every failure above", () => {
    expect(() => decodeResponse(runPlugin(createStubwrightPlugin(), encodeRequest(createRequest(set, [catalog], "x=1"))))).not.toThrow();
  });
});

describe("documentation", () => {
  let ts: string;
  beforeAll(() => {
    ts = generate([catalog], "target=ts").get("shop/v1/catalog_grpc.ts") ?? "";
  });

  it("proto comments become JSDoc on the client and handler methods", () => {
    expect(ts).toContain("  /**\n   * Looks one item up.\n   *\n   * @generated from rpc shop.v1.Catalog.GetItem\n   */\n  readonly getItem: (request:");
    expect(ts).toContain("  /**\n   * Looks one item up.\n   *\n   * @generated from rpc shop.v1.Catalog.GetItem\n   */\n  getItem: (request:");
    expect(ts.match(/\* Streams matching items\./g)).toHaveLength(2);
  });

  it("multi-line service comments lead the client and handlers JSDoc, aligned", () => {
    const comment =
      '/**\n * The catalog of the shop.\n * Comments may contain *\\/ which must not end the JSDoc,\n * and keep their indentation:\n *   catalog.getItem({ prefix: "HAM" })\n *\n';
    expect(ts).toContain(`${comment} * A client for shop.v1.Catalog;`);
    expect(ts).toContain(`${comment} * Server handlers for shop.v1.Catalog:`);
    // The escaped comment must not have closed the block early.
    expect(ts).not.toContain("contain */");
  });

  it("trailing comments are carried too", () => {
    expect(ts.match(/ {3}\* Keeps both sides in step\.\n {3}\*\n {3}\* @generated from rpc shop\.v1\.Catalog\.Sync\n/g)).toHaveLength(2);
  });

  it("a deprecated rpc is @deprecated in the client and the handlers", () => {
    expect(
      ts.match(
        /\* Use GetItem\.\n {3}\*\n {3}\* @generated from rpc shop\.v1\.Catalog\.FetchItem\n {3}\* @deprecated\n {3}\*\/\n {2}(readonly )?fetchItem: \(/g,
      ),
    ).toHaveLength(2);
    // Only that one, and OldCatalog: its definition, client, handlers and factory, and its rpc in client and handlers.
    expect(ts.match(/@deprecated/g)?.length).toBe(2 + 4 + 2);
  });

  it("a deprecated service is @deprecated, and so is each of its rpcs", () => {
    const old = ts.slice(ts.indexOf("OldCatalogDefinition"));
    expect(old).toMatch(
      /\* Replaced by Catalog\.\n \*\n \* A client for shop\.v1\.OldCatalog[\s\S]*?@generated from service shop\.v1\.OldCatalog\n \* @deprecated\n \*\/\nexport interface OldCatalogClient/,
    );
    expect(old).toMatch(/@generated from rpc shop\.v1\.OldCatalog\.Get\n {3}\* @deprecated\n {3}\*\/\n {2}get: \(request/);
    expect(old).toMatch(
      /`makeGenericClientConstructor`\.\n \*\n \* @deprecated\n \*\/\nexport const OldCatalogDefinition: ServiceDefinitionOf<typeof OldCatalog> = /,
    );
    expect(old).toMatch(/a grpc-js `Channel`\.\n \*\n \* @deprecated\n \*\/\nexport function createOldCatalogClient\(/);
  });

  it.each(["ts", "dts"])("in a deprecated file, every export and member is @deprecated (%s)", (target) => {
    const file = [...generate(["shop/v1/sunset.proto"], `target=${target}`).values()][0] ?? "";
    const undocumented = undeprecatedDeclarations(file);
    expect(undocumented).toEqual([]);
    // 4 exports, and 2 rpcs in each of the client and the handlers.
    expect(file.match(/@deprecated/g)).toHaveLength(4 + 2 * 2);
  });
});

/**
 * The declarations of a generated ts or d.ts file (exports and interface or
 * type members) whose JSDoc does not say @deprecated.
 */
function undeprecatedDeclarations(content: string): string[] {
  const lines = content.split("\n");
  const found: string[] = [];
  lines.forEach((line, index) => {
    // Members of the definition's value are not declarations: its type carries their docs.
    if (/^export (declare )?(const|interface|function) |^ {2}(readonly )?\w+: (?!\/\*@__PURE__)/.test(line)) {
      const docEnd = lines[index - 1] ?? "";
      const docStart = lines.slice(0, index).findLastIndex((l) => l.trim() === "/**");
      const doc = /\*\/$/.test(docEnd) && docStart !== -1 ? lines.slice(docStart, index).join("\n") : "";
      if (!doc.includes("@deprecated")) {
        found.push(line);
      }
    }
  });
  return found;
}

/**
 * Type-checks the ts and d.ts of an empty generated file as modules (a
 * script would fail under isolatedModules), and loads the js in Node as ES
 * module and CommonJS: returns tsc's diagnostics and what the modules export.
 */
function compileEmptyModules(files: ReadonlyMap<string, string>, commonJs: string) {
  const dir = mkdtempSync(join(tmpdir(), "stubwright-empty-"));
  try {
    for (const [name, content] of files) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dir, "shop/v1/commonjs.cjs"), commonJs);
    const program = ts.createProgram([join(dir, "shop/v1/types_grpc.ts"), join(dir, "shop/v1/types_grpc.d.ts")], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      isolatedModules: true,
      moduleDetection: ts.ModuleDetectionKind.Legacy,
      strict: true,
      types: [],
      noEmit: true,
    });
    const tsDiagnostics = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => dir,
      getNewLine: () => "\n",
    });
    const script = `
const esm = await import("./shop/v1/types_grpc.js");
const commonJs = (await import("node:module")).createRequire(import.meta.url)("./shop/v1/commonjs.cjs");
process.stdout.write(JSON.stringify({ esm: Object.keys(esm), commonJs }));
`;
    writeFileSync(join(dir, "load.mjs"), script);
    const node = JSON.parse(execFileSync(process.execPath, [join(dir, "load.mjs")], { encoding: "utf8", timeout: 15_000 })) as unknown;
    return { ts: tsDiagnostics, node };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
