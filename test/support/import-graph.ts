import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { listFiles } from "./file-tree.js";

/** A package's modules and the modules each one imports, as paths relative to its source root. */
export interface ImportGraph {
  readonly modules: ReadonlyMap<string, readonly string[]>;
  /** Relative imports that resolve to no file (each would hide the edges behind it). */
  readonly unresolved: readonly string[];
}

/**
 * Reads the import graph of the `.ts` files under `root`: every relative
 * import, export-from and dynamic import, type-only ones included (a cycle
 * of types still ties the modules' design together). Imports of packages
 * are left out; they cannot lead back into `root`.
 */
export function readImportGraph(root: string): ImportGraph {
  const modules = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of listFiles(root).filter((name) => name.endsWith(".ts"))) {
    const source = readFileSync(join(root, file), "utf8");
    const imported = ts.preProcessFile(source, true, true).importedFiles.map((entry) => entry.fileName);
    const targets: string[] = [];
    for (const specifier of imported.filter((name) => name.startsWith("."))) {
      const target = resolve(dirname(join(root, file)), specifier.replace(/\.js$/, ".ts"));
      if (existsSync(target)) {
        targets.push(relative(root, target));
      } else {
        unresolved.push(`${file} -> ${specifier}`);
      }
    }
    modules.set(file, targets);
  }
  return { modules, unresolved };
}

/**
 * The import cycles of a graph: its strongly connected components of more
 * than one module, and modules that import themselves, each sorted.
 */
export function findCycles(modules: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  // Tarjan's algorithm; the graphs are a few hundred modules, so recursion is fine.
  const visit = (module: string): void => {
    index.set(module, index.size);
    low.set(module, index.get(module)!);
    stack.push(module);
    onStack.add(module);
    for (const next of modules.get(module) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(module, Math.min(low.get(module)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(module, Math.min(low.get(module)!, index.get(next)!));
      }
    }
    if (low.get(module) === index.get(module)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== module);
      if (component.length > 1 || (modules.get(module) ?? []).includes(module)) {
        cycles.push(component.sort());
      }
    }
  };
  for (const module of modules.keys()) {
    if (!index.has(module)) {
      visit(module);
    }
  }
  return cycles;
}
