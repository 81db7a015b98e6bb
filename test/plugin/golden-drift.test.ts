import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateGoldens, goldenVariants, repoRoot } from "../support/generate-code.mjs";
import { listFiles } from "../support/file-tree.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

const goldenRoot = join(repoRoot, "test/golden");
const fresh = mkdtempSync(join(tmpdir(), "stubwright-goldens-"));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe("committed goldens (test/golden) match the current plugin", () => {
  it("regenerating every variant changes nothing (run `npm run goldens` after a deliberate change)", () => {
    generateGoldens(fresh);

    const committed = listFiles(goldenRoot);
    const generated = listFiles(fresh);
    const missing = committed.filter((path) => !generated.includes(path));
    const added = generated.filter((path) => !committed.includes(path));
    const changed = generated.filter(
      (path) => committed.includes(path) && readFileSync(join(fresh, path), "utf8") !== readFileSync(join(goldenRoot, path), "utf8"),
    );

    expect({ changed, added, missing }, `${firstDifference(fresh, changed[0])}; run \`npm run goldens\` if the change is intended`).toEqual({
      changed: [],
      added: [],
      missing: [],
    });
    // The comparison above is only meaningful if every variant produced stubs.
    for (const variant of goldenVariants) {
      expect(generated.some((path) => path.startsWith(`${variant.name}/`) && path.includes("_grpc."))).toBe(true);
    }
  });
});

/** Where the regenerated `path` first differs from the committed one, for the failure message. */
function firstDifference(freshRoot: string, path: string | undefined): string {
  if (path === undefined) {
    return "no file differs in content";
  }
  const now = readFileSync(join(freshRoot, path), "utf8").split("\n");
  const before = readFileSync(join(goldenRoot, path), "utf8").split("\n");
  const line = now.findIndex((text, index) => text !== before[index]);
  return `${path}:${line + 1} is now ${JSON.stringify(now[line])}, committed ${JSON.stringify(before[line])}`;
}
