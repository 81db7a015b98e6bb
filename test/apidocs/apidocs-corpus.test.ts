import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { checkLinks } from "./check-links.js";
import { bufDocs, protocDocs } from "./generate-docs.mjs";
import { findProtoc, locateCorpus } from "./test-inputs.js";

allowTimeForPrograms();

/**
 * The docs plugin on every include root of the shared corpus (proto2, proto3,
 * editions, googleapis): buf generate succeeds, every package gets a
 * Markdown and an HTML page, and every link on them resolves. Under protoc
 * (where installed) the pages are the same bytes; Debian's protoc 3.21
 * cannot parse some roots (editions, newer options): there protoc itself
 * fails, never the plugin. Without the corpus (a clone with no shared/
 * beside it) this is skipped, except in CI.
 */

const corpus = locateCorpus();
const protoc = findProtoc();
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

  const protocRoots: string[] = [];
  for (const root of roots) {
    it(`${root}: generates, and every link resolves`, () => {
      const out = join(scratch, root, "buf");
      bufDocs(join(corpus ?? "", root), out);
      const pages = listFiles(out);
      expect(pages.filter((page) => page.endsWith("/index.md") || page === "index.md").length).toBeGreaterThan(0);
      expect(pages.filter((page) => page.endsWith(".html")).length).toBe(pages.filter((page) => page.endsWith(".md")).length);
      const { problems, links } = checkLinks(out);
      expect(problems).toEqual([]);
      expect(links).toBeGreaterThan(0);

      if (protoc !== undefined) {
        const viaProtoc = join(scratch, root, "protoc");
        try {
          protocDocs(protoc.path, protoc.include, join(corpus ?? "", root), viaProtoc);
        } catch (error) {
          const stderr = String((error as { stderr?: unknown }).stderr ?? error);
          // protoc names a failing plugin by its output flag.
          expect(stderr).not.toContain("--stubwright-docs_out");
          return;
        }
        protocRoots.push(root);
        expect(listFiles(viaProtoc)).toEqual(pages);
        expect(pages.filter((page) => readFileSync(join(out, page), "utf8") !== readFileSync(join(viaProtoc, page), "utf8"))).toEqual([]);
      }
    });
  }

  it.skipIf(protoc === undefined)("protoc compiled most roots", () => {
    expect(protocRoots.length).toBeGreaterThanOrEqual(30);
  });
});
