import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

// A definition typed ServiceDefinitionOf<typeof FooService>, and a client made
// from FooService, show each method's JSDoc from protoc-gen-es's GenService:
// editors mark a deprecated method deprecated there too.

const entry = join(repoRoot, ".stubwright-tmp/definition-docs-entry.ts");

/** For each export of `source`, the JSDoc tag names of each member of its type. */
function memberTags(source: string): Record<string, Record<string, string[]>> {
  const host = ts.createCompilerHost({});
  const readFile = host.readFile;
  host.readFile = (file) => (file === entry ? source : readFile(file));
  host.fileExists = (
    (exists) => (file: string) =>
      file === entry || exists(file)
  )(host.fileExists);
  const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true };
  const program = ts.createProgram([entry], options, host);
  expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const tags: Record<string, Record<string, string[]>> = {};
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const type = target.flags & ts.SymbolFlags.TypeAlias ? checker.getDeclaredTypeOfSymbol(target) : checker.getTypeOfSymbol(target);
    tags[symbol.name] = Object.fromEntries(type.getProperties().map((p) => [p.name, p.getJsDocTags(checker).map((tag) => tag.name)]));
  }
  return tags;
}

const golden = (path: string) => JSON.stringify(join(repoRoot, "test/golden/ts", path));

describe("members derived from a GenService", () => {
  it("carry protoc-gen-es's JSDoc, @deprecated included, in the generated definition and in a client", () => {
    const source =
      `import type { ServiceClient } from "@stubwright/runtime";\n` +
      `import type { EchoService } from ${golden("fixture/echo/v1/echo_pb.js")};\n` +
      `import type { Promise as PromiseService } from ${golden("naming/words/v1/words_pb.js")};\n` +
      `export { EchoServiceDefinition } from ${golden("fixture/echo/v1/echo_grpc.js")};\n` +
      "export type Echo = ServiceClient<typeof EchoService>;\n" +
      "export type Thenable = ServiceClient<typeof PromiseService>;\n";
    const tags = memberTags(source);
    for (const name of ["EchoServiceDefinition", "Echo"]) {
      expect(tags[name]?.legacyEcho, name).toEqual(["generated", "deprecated"]);
      expect(tags[name]?.echo, name).toEqual(["generated"]);
    }
    // A method named then is then$ (its docs stay behind with the old name).
    expect(Object.keys(tags.Thenable ?? {})).toContain("then$");
    expect(Object.keys(tags.Thenable ?? {})).not.toContain("then");
  });
});
