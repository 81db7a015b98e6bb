import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findCorpus } from "../corpus/corpus-files.mjs";
import { listFiles } from "../support/file-tree.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { checkLinks } from "./check-links.js";
import { bufDocs } from "./generate-docs.mjs";

allowTimeForPrograms();

/**
 * The docs plugin on every include root of the shared corpus (proto2, proto3,
 * editions, googleapis): buf generate succeeds, every package gets a
 * Markdown and an HTML page, and every link on them resolves. Without the
 * corpus (a clone with no shared/ beside it) this is skipped, except in CI.
 */

const inCi = (process.env.CI ?? "") !== "" && process.env.CI !== "false";
const corpus = locateCorpus();
const scratch = mkdtempSync(join(tmpdir(), "stubwright-apidocs-corpus-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(corpus === undefined)("API docs for the whole shared corpus", () => {
  const roots =
    corpus === undefined
      ? []
      : readdirSync(corpus, { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name)
          .sort();

  it("has the corpus's roots", () => {
    expect(roots.length).toBeGreaterThan(30);
  });

  for (const root of roots) {
    it(`${root}: generates, and every link resolves`, () => {
      const out = join(scratch, root);
      bufDocs(join(corpus ?? "", root), out);
      const pages = listFiles(out);
      expect(pages.filter((page) => page.endsWith("/index.md") || page === "index.md").length).toBeGreaterThan(0);
      expect(pages.filter((page) => page.endsWith(".html")).length).toBe(pages.filter((page) => page.endsWith(".md")).length);
      const { problems, links } = checkLinks(out);
      expect(problems).toEqual([]);
      expect(links).toBeGreaterThan(0);
    });
  }
});

function locateCorpus(): string | undefined {
  try {
    return findCorpus();
  } catch (error) {
    if (inCi) {
      throw error;
    }
    console.warn(`apidocs-corpus: skipped: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
