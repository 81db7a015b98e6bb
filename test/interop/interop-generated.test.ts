import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

// packages/interop/src/gen is committed; it must be exactly what the current
// plugin makes of the interop protos (`npm run generate -w @stubwright/interop`).
const committed = join(repoRoot, "packages/interop/src/gen");
const fresh = mkdtempSync(join(tmpdir(), "stubwright-interop-gen-"));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

it("the committed interop stubs match a fresh generation", () => {
  execFileSync(process.execPath, [join(repoRoot, "packages/interop/scripts/generate.mjs"), fresh], { stdio: "pipe" });
  const files = listFiles(fresh);
  expect(files).toEqual(listFiles(committed));
  expect(files).toContain("src/proto/grpc/testing/test_grpc.ts");
  for (const file of files) {
    expect(readFileSync(join(committed, file), "utf8"), file).toBe(readFileSync(join(fresh, file), "utf8"));
  }
});
