import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufGenerate, repoRoot } from "../support/generate-code.mjs";
import { listFiles } from "../support/file-tree.js";
import { allowTimeForPrograms, programTimeoutMs } from "../support/program-timeouts.js";

allowTimeForPrograms();

/**
 * Generated code is a product surface: the committed goldens (which the drift
 * test keeps equal to the plugin's output) must compile under the strictest
 * settings users run, and the generated JavaScript must load in Node.
 */

const goldenRoot = join(repoRoot, "test/golden");
const tsFiles = listFiles(join(goldenRoot, "ts")).filter((path) => path.endsWith(".ts"));
const dtsFiles = listFiles(join(goldenRoot, "js-dts")).filter((path) => path.endsWith(".d.ts"));
const grpcJsFiles = listFiles(join(goldenRoot, "js-dts")).filter((path) => path.endsWith("_grpc.js"));

/** The settings the guide promises generated code compiles under. */
const strictOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ["node"],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noPropertyAccessFromIndexSignature: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  // Every export carries its type, so tools can emit declarations file by file.
  isolatedDeclarations: true,
  declaration: true,
  // Our declaration files are what is under test, so they must not be skipped.
  skipLibCheck: false,
  noEmit: true,
};

const scratch = mkdtempSync(join(tmpdir(), "stubwright-typecheck-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A consumer of the js+dts output, as users write it: it implements handlers
 * and calls a client through the declarations only.
 */
function writeDtsConsumer(): string {
  const echo = join(goldenRoot, "js-dts/fixture/echo/v1/echo_grpc.js");
  const file = join(scratch, "consumer.mts");
  writeFileSync(
    file,
    `import type { EchoResponse } from ${JSON.stringify(join(goldenRoot, "js-dts/fixture/echo/v1/echo_pb.js"))};
import { EchoServiceDefinition, createEchoServiceClient, type EchoServiceHandlers } from ${JSON.stringify(echo)};

export const handlers: Partial<EchoServiceHandlers> = {
  async echo(request) {
    return { message: request.message, index: 1 };
  },
  async *expand(request) {
    yield { message: request.message };
  },
};
export const path: string = EchoServiceDefinition.echo.path;
export async function call(): Promise<EchoResponse> {
  const client = createEchoServiceClient("127.0.0.1:1");
  return client.echo({ message: "x" }, { timeoutMs: 10 });
}
`,
  );
  return file;
}

/**
 * What the generated interfaces must reject, in both the ts and the js+dts
 * output: every `@ts-expect-error` below must meet an error, or tsc reports
 * the directive as unused.
 */
function writeStrictnessConsumer(): string {
  const file = join(scratch, "strictness.mts");
  const variant = (name: string, grpc: string, pb: string) => `
import type { EchoRequest as ${name}Request, EchoResponse as ${name}Response } from ${JSON.stringify(pb)};
import type { EchoServiceClient as ${name}Client, EchoServiceHandlers as ${name}Handlers } from ${JSON.stringify(grpc)};

/** A handler that needs more than its request type promises is not a handler (method syntax would allow it). */
export const ${name}NarrowHandler: Pick<${name}Handlers, "echo"> = {
  // @ts-expect-error: parameters of handler members are checked contravariantly.
  echo: (request: ${name}Request & { readonly tenant: string }) => ({ message: request.tenant }),
};
declare const ${name}Answer: ${name}Response;
/** A fake client that only takes full messages would break callers that pass plain objects. */
export const ${name}NarrowClient: Pick<${name}Client, "echo"> = {
  // @ts-expect-error: parameters of client members are checked contravariantly.
  echo: async (request: ${name}Request) => (request.message === "" ? ${name}Answer : ${name}Answer),
};
// @ts-expect-error: typed as the handlers interface, an object must implement every method.
export const ${name}Incomplete: ${name}Handlers = { echo: (request) => ({ message: request.message }) };
`;
  writeFileSync(
    file,
    variant("Ts", join(goldenRoot, "ts/fixture/echo/v1/echo_grpc.js"), join(goldenRoot, "ts/fixture/echo/v1/echo_pb.js")) +
      variant("Dts", join(goldenRoot, "js-dts/fixture/echo/v1/echo_grpc.js"), join(goldenRoot, "js-dts/fixture/echo/v1/echo_pb.js")),
  );
  return file;
}

describe("generated code compiles under strict settings", () => {
  let program: ts.Program;
  beforeAll(() => {
    program = ts.createProgram({
      rootNames: [
        ...tsFiles.map((path) => join(goldenRoot, "ts", path)),
        ...dtsFiles.map((path) => join(goldenRoot, "js-dts", path)),
        writeDtsConsumer(),
        writeStrictnessConsumer(),
      ],
      options: strictOptions,
    });
  });

  it("has goldens to check", () => {
    expect(tsFiles.filter((path) => path.endsWith("_grpc.ts")).length).toBeGreaterThanOrEqual(4);
    expect(dtsFiles.filter((path) => path.endsWith("_grpc.d.ts")).length).toBeGreaterThanOrEqual(4);
  });

  it("target=ts and target=js+dts goldens have no diagnostics", () => {
    // Only our files' semantic diagnostics: checking all of node_modules' declarations
    // again would triple the time and is what `npm run typecheck` does anyway.
    const ours = program.getRootFileNames().flatMap((name) => program.getSourceFile(name) ?? []);
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      // isolatedDeclarations reports through the declaration diagnostics.
      ...ours.flatMap((file) => [
        ...program.getSyntacticDiagnostics(file),
        ...program.getSemanticDiagnostics(file),
        ...(file.isDeclarationFile ? [] : program.getDeclarationDiagnostics(file)),
      ]),
    ];
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => repoRoot,
      getNewLine: () => "\n",
    });
    expect(text).toBe("");
  });

  it("every value a _grpc.d.ts declares is exported by its .js, and nothing else", () => {
    const checker = program.getTypeChecker();
    const declared: Record<string, string[]> = {};
    for (const path of grpcJsFiles) {
      const source = program.getSourceFile(join(goldenRoot, "js-dts", path.replace(/\.js$/, ".d.ts")));
      const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
      expect(symbol, `${path} has no declaration module`).toBeDefined();
      declared[path] = checker
        .getExportsOfModule(symbol!)
        .filter((exported) => (exported.flags & ts.SymbolFlags.Value) !== 0)
        .map((exported) => exported.name)
        .sort();
    }
    expect(loadInNode()).toEqual(
      Object.fromEntries(
        Object.entries(declared).map(([path, names]) => [
          path,
          Object.fromEntries(names.map((name) => [name, name.endsWith("Definition") ? "definition" : "function"])),
        ]),
      ),
    );
  });
});

describe("js_import_style=legacy_commonjs", () => {
  it("the generated CommonJS loads with require() and builds working definitions", () => {
    // Inside the repository so that require() finds the packages in node_modules.
    const tmpRoot = join(repoRoot, ".stubwright-tmp");
    mkdirSync(tmpRoot, { recursive: true });
    const out = mkdtempSync(join(tmpRoot, "commonjs-"));
    try {
      bufGenerate("test/fixtures/protos", out, ["target=js", "js_import_style=legacy_commonjs"]);
      writeFileSync(join(out, "package.json"), '{ "type": "commonjs" }\n');
      const script = `
const { EchoServiceDefinition, createEchoServiceClient } = require("./fixture/echo/v1/echo_grpc.js");
const { ListerDefinition, WatcherDefinition } = require("./nested/deeply/pkg/v1/service_grpc.js");
const echo = EchoServiceDefinition.echo;
const bytes = echo.requestSerialize({ message: "hi" });
process.stdout.write(JSON.stringify({
  paths: [echo.path, ListerDefinition.list.path, WatcherDefinition.watch.path],
  roundTrip: echo.requestDeserialize(bytes).message,
  factory: typeof createEchoServiceClient,
}));
`;
      const result = JSON.parse(
        execFileSync(process.execPath, ["--no-warnings", "-e", script], { cwd: out, encoding: "utf8", timeout: programTimeoutMs }),
      ) as unknown;
      expect(result).toEqual({
        paths: ["/fixture.echo.v1.EchoService/Echo", "/nested.deeply.pkg.v1.Lister/List", "/nested.deeply.pkg.v1.Watcher/Watch"],
        roundTrip: "hi",
        factory: "function",
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/**
 * Imports every generated `_grpc.js` in a plain Node process (not through
 * vitest's transform) and describes its exports: `definition` for a grpc-js
 * service definition whose methods have paths, stream flags and working
 * serializers, `function` for a function.
 */
function loadInNode(): Record<string, Record<string, string>> {
  const script = `
const files = ${JSON.stringify(grpcJsFiles)};
const result = {};
for (const file of files) {
  const module = await import(${JSON.stringify(join(goldenRoot, "js-dts"))} + "/" + file);
  result[file] = {};
  for (const [name, value] of Object.entries(module)) {
    result[file][name] = typeof value === "function" ? "function" : describe(value);
  }
}
function describe(value) {
  const methods = Object.values(value);
  const ok = methods.length > 0 && methods.every((m) =>
    /^\\/[\\w.]+\\/\\w+$/.test(m.path) && typeof m.requestStream === "boolean" && typeof m.responseStream === "boolean" &&
    [m.requestSerialize, m.requestDeserialize, m.responseSerialize, m.responseDeserialize].every((f) => typeof f === "function") &&
    m.requestSchema.kind === "message" && m.responseSchema.kind === "message");
  return ok ? "definition" : "not a service definition: " + JSON.stringify(Object.keys(value));
}
process.stdout.write(JSON.stringify(result));
`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: programTimeoutMs,
  });
  return JSON.parse(out) as Record<string, Record<string, string>>;
}
