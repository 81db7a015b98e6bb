import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, tools } from "../support/generate-code.mjs";
import { listFiles } from "../support/file-tree.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

const runtimeRoot = join(repoRoot, "packages/runtime");
const out = mkdtempSync(join(tmpdir(), "stubwright-runtime-gen-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// The runtime ships generated code for google.rpc (status, error details),
// grpc.health.v1 and grpc.reflection: this regenerates it and fails on any
// difference. Run `npm run generate -w @stubwright/runtime` after a change.
describe("the runtime's generated google.rpc, health and reflection code", () => {
  it("matches what `npm run generate -w @stubwright/runtime` produces from packages/runtime/proto", () => {
    const t = tools;
    const options = ["target=ts", "import_extension=js"];
    const template = {
      version: "v2",
      plugins: [
        { local: t.protocGenEs, out, opt: options, strategy: "all" },
        { local: t.protocGenStubwright, out, opt: [...options, "rewrite_imports=@stubwright/runtime/codegenv1:../codegenv1.js"], strategy: "all" },
      ],
    };
    execFileSync(t.buf, ["generate", "proto", "--template", JSON.stringify(template)], { cwd: runtimeRoot, stdio: "pipe" });
    const committed = join(runtimeRoot, "src/gen");
    const generated = listFiles(out);
    expect(listFiles(committed)).toEqual(generated);
    expect(generated).toContain("grpc/health/v1/health_grpc.ts");
    for (const file of generated) {
      expect(readFileSync(join(out, file), "utf8"), file).toBe(readFileSync(join(committed, file), "utf8"));
    }
  });
});
