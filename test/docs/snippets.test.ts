import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufGenerate, repoRoot } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { extractSnippets, readSnippets, type DocSnippet } from "./doc-snippets.js";

allowTimeForPrograms();

/**
 * Every ```ts block of README.md and docs/*.md compiles, under strict settings,
 * against the workspace packages and code generated from the demo protos and
 * from the docs' own ```proto blocks that name a file (```proto protos/x/v1/x.proto).
 * A block marked ```ts no-check is skipped; CONTRIBUTING.md says when that is fine.
 */

const docFiles = ["README.md", ...readdirSync(join(repoRoot, "docs")).flatMap((name) => (name.endsWith(".md") ? [`docs/${name}`] : []))];
const snippets = docFiles.flatMap((name) => readSnippets(join(repoRoot, name), name));
const tsSnippets = snippets.filter((snippet) => snippet.lang === "ts" || snippet.lang === "typescript");
const checked = tsSnippets.filter((snippet) => !snippet.flags.includes("no-check"));
const protoFiles = snippets.filter((snippet) => snippet.lang === "proto" && snippet.flags.length > 0);

/** A snippet that must not compile: proof that a wrong snippet fails this test. */
const [brokenSnippet] = extractSnippets(
  "broken.md",
  [
    "```ts",
    'import { createInventoryServiceClient } from "./gen/stubwright/demo/v1/inventory_grpc.js";',
    'await createInventoryServiceClient("127.0.0.1:1").getItem({ sku: 42 });',
    "```",
  ].join("\n"),
);

/** Settings at least as strict as the tsconfig the docs recommend. */
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  // Every snippet is a module of its own, also one without imports.
  moduleDetection: ts.ModuleDetectionKind.Force,
  types: ["node"],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
};

// Inside the repository, so that the snippets' imports find the workspace packages in node_modules.
const tmpRoot = join(repoRoot, ".stubwright-tmp");
let scratch = "";
let program: ts.Program;
const fileOf = new Map<string, DocSnippet>();

beforeAll(() => {
  mkdirSync(tmpRoot, { recursive: true });
  scratch = mkdtempSync(join(tmpRoot, "doc-snippets-"));
  writeFileSync(join(scratch, "package.json"), '{ "type": "module" }\n');
  // The docs' examples use the demo's inventory service as `./gen/...`: its committed golden.
  cpSync(join(repoRoot, "test/golden/ts/stubwright"), join(scratch, "gen/stubwright"), { recursive: true });
  for (const proto of protoFiles) {
    writeFileSync(ensureDir(join(scratch, proto.flags[0]!)), `${proto.code}\n`);
  }
  if (protoFiles.length > 0) {
    bufGenerate(relative(repoRoot, join(scratch, "protos")), join(scratch, "gen"), ["target=ts", "import_extension=js"]);
  }
  for (const snippet of [...checked, brokenSnippet!]) {
    const name = join(scratch, `${snippet.file.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()}-${snippet.line}.ts`);
    writeFileSync(name, `${snippet.code}\n`);
    fileOf.set(name, snippet);
  }
  program = ts.createProgram({ rootNames: [...fileOf.keys()], options });
});

afterAll(() => {
  if (scratch !== "") {
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe("code snippets in README.md and docs/", () => {
  it("finds the snippets and the protos they use", () => {
    expect(checked.length).toBeGreaterThanOrEqual(20);
    expect(protoFiles.map((proto) => proto.flags[0])).toContain("protos/greeter/v1/greeter.proto");
    for (const proto of protoFiles) {
      expect(proto.flags[0], `${proto.file}:${proto.line}`).toMatch(/^protos\/[\w/]+\.proto$/);
      // Two guides may show the same file, but never two versions of it.
      const first = protoFiles.find((other) => other.flags[0] === proto.flags[0])!;
      expect(proto.code, `${proto.file}:${proto.line} differs from ${first.file}:${first.line}`).toBe(first.code);
    }
  });

  it("marks blocks only with the flags this test knows", () => {
    const unknown = tsSnippets.filter((snippet) => snippet.flags.some((flag) => flag !== "no-check"));
    expect(unknown.map((snippet) => `${snippet.file}:${snippet.line} ${snippet.flags.join(" ")}`)).toEqual([]);
  });

  it("every ts snippet type-checks", () => {
    const failures = [...fileOf].filter(([, snippet]) => snippet !== brokenSnippet).flatMap(([name, snippet]) => diagnosticsOf(name, snippet));
    expect([...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual(
      [],
    );
    expect(failures.join("\n")).toBe("");
  });

  it("reports a snippet that does not type-check, at its line in the Markdown file", () => {
    const [name] = [...fileOf].find(([, snippet]) => snippet === brokenSnippet)!;
    expect(diagnosticsOf(name, brokenSnippet!)).toEqual([expect.stringMatching(/^broken\.md:3: TS2322: Type 'number' is not assignable to type 'string'/)]);
  });
});

/** The diagnostics of one snippet, as `file.md:line: TSxxxx: message`. */
function diagnosticsOf(name: string, snippet: DocSnippet): string[] {
  const source = program.getSourceFile(name);
  if (source === undefined) {
    return [`${snippet.file}:${snippet.line}: not compiled`];
  }
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((diagnostic) => {
    const line = diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
    return `${snippet.file}:${snippet.line + line}: TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
  });
}

function ensureDir(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
