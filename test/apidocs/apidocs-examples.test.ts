import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { repoRoot } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { checkLinks } from "./check-links.js";
import { examplesDir, generateExamples } from "./generate-docs.mjs";
import { locateCorpus } from "./test-inputs.js";

allowTimeForPrograms();

/**
 * docs/api-reference/ is the plugin's current output for the demo and a
 * googleapis package (`npm run docs:api-examples` rewrites it). Needs the
 * shared corpus; without it this is skipped, except in CI.
 */

const hasCorpus = locateCorpus() !== undefined;
const scratch = mkdtempSync(join(tmpdir(), "stubwright-apidocs-examples-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!hasCorpus)("the committed API reference examples", () => {
  it("equal the plugin's output (run `npm run docs:api-examples` after changing the plugin)", () => {
    generateExamples(scratch);
    const committed = join(repoRoot, examplesDir);
    const files = listFiles(scratch);
    expect(listFiles(committed)).toEqual(files);
    expect(files.filter((file) => readFileSync(join(scratch, file), "utf8") !== readFileSync(join(committed, file), "utf8"))).toEqual([]);
  });

  it("link only to pages and anchors that exist", () => {
    const { problems, pages } = checkLinks(join(repoRoot, examplesDir));
    expect(problems).toEqual([]);
    expect(pages).toBe(5);
  });
});
