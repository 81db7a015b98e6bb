import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";
import { findCycles, readImportGraph } from "../support/import-graph.js";

// A cycle makes module evaluation order decide what is defined when, and
// ties modules together that should stand alone; none is allowed in the
// packages' sources, type-only imports included.
describe("import cycles", () => {
  for (const source of ["packages/runtime/src", "packages/protoc-gen-stubwright/src", "packages/cli/src"]) {
    it(`${source} has none`, () => {
      const graph = readImportGraph(join(repoRoot, source));
      // An import that resolves nowhere would hide the cycles behind it.
      expect(graph.unresolved).toEqual([]);
      expect(graph.modules.size).toBeGreaterThan(5);
      expect(findCycles(graph.modules)).toEqual([]);
    });
  }

  it("are found, however long, and self-imports too", () => {
    const modules = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts", "d.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", []],
      ["e.ts", ["e.ts"]],
      ["f.ts", ["a.ts"]],
    ]);
    expect(findCycles(modules)).toEqual([["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
  });
});
