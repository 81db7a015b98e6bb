import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "../support/generate-code.mjs";

/**
 * The team's proto corpus. CI clones the repository with `shared/` beside
 * it (`../shared`); worktrees sit deeper, so the nearest ancestor that has
 * `shared/protos/corpus` wins. STUBWRIGHT_CORPUS overrides both.
 *
 * @returns {string}
 */
export function findCorpus() {
  if (process.env.STUBWRIGHT_CORPUS) {
    return process.env.STUBWRIGHT_CORPUS;
  }
  for (let dir = dirname(repoRoot); ; dir = dirname(dir)) {
    const candidate = join(dir, "shared/protos/corpus");
    if (existsSync(candidate)) {
      return candidate;
    }
    if (dirname(dir) === dir) {
      throw new Error(`no shared/protos/corpus beside ${repoRoot} or its parents; set STUBWRIGHT_CORPUS`);
    }
  }
}

/**
 * Every file under `dir` whose name ends with `suffix`, as absolute paths.
 *
 * @param {string} dir
 * @param {string} suffix
 * @returns {string[]}
 */
export function listFiles(dir, suffix) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}
