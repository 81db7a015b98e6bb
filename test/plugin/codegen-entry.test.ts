import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { repoRoot } from "../support/generate-code.mjs";

// Generated code and the runtime meet at one versioned entry,
// @stubwright/runtime/codegenv1: generated code imports nothing else of the
// runtime, and the entry exports nothing generated code does not use, so
// what it promises stays as small as the contract needs.

const entry = "@stubwright/runtime/codegenv1";

/** Every name a file imports from a module whose specifier starts with "@stubwright/runtime", by specifier. */
function runtimeImports(file: string): Map<string, Set<string>> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
  const found = new Map<string, Set<string>>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    const from = statement.moduleSpecifier.text;
    if (!from.startsWith("@stubwright/runtime")) {
      continue;
    }
    const names = found.get(from) ?? new Set<string>();
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) {
      names.add("*");
    } else {
      for (const element of bindings.elements) {
        names.add((element.propertyName ?? element.name).text);
      }
    }
    found.set(from, names);
  }
  return found;
}

/** The names (values and types) a module exports, as the compiler sees them. */
function exportedNames(file: string): string[] {
  const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(module).map((symbol) => symbol.name);
}

describe("the codegenv1 entry", () => {
  const goldenRoot = join(repoRoot, "test/golden");
  const generated = listFiles(goldenRoot)
    .filter((file) => /_grpc\.(ts|d\.ts)$/.test(file))
    .map((file) => join(goldenRoot, file));

  it("is the only part of the runtime generated code imports", () => {
    expect(generated.length).toBeGreaterThan(20);
    const specifiers = new Set(generated.flatMap((file) => [...runtimeImports(file).keys()]));
    expect([...specifiers]).toEqual([entry]);
  });

  it("exports exactly what generated code imports from it", () => {
    const used = new Set(generated.flatMap((file) => [...(runtimeImports(file).get(entry) ?? [])]));
    const exported = exportedNames(join(repoRoot, "packages/runtime/src/codegenv1.ts"));
    expect(exported.sort()).toEqual([...used].sort());
  });
});
