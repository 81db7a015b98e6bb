import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// The runtime ships google.rpc (status, error details, code) as protobuf-es
// code generated from packages/runtime/proto into src/gen and committed. This
// regenerates it and fails on any difference: run
// `npm run generate -w @stubwright/runtime` after changing the protos.

const require = createRequire(import.meta.url);
const runtimeDir = fileURLToPath(new URL("../../packages/runtime/", import.meta.url));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

it("src/gen matches the protos", () => {
  const out = mkdtempSync(join(tmpdir(), "stubwright-google-rpc-"));
  try {
    const template = {
      version: "v2",
      plugins: [
        {
          local: require.resolve("@bufbuild/protoc-gen-es/bin/protoc-gen-es"),
          out,
          opt: ["target=ts", "import_extension=js"],
          strategy: "all",
        },
      ],
    };
    execFileSync(require.resolve("@bufbuild/buf/bin/buf"), ["generate", "proto", "--template", JSON.stringify(template)], {
      cwd: runtimeDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const committed = join(runtimeDir, "src/gen");
    expect(listFiles(out)).toEqual(listFiles(committed));
    for (const file of listFiles(out)) {
      expect(readFileSync(join(out, file), "utf8"), file).toBe(readFileSync(join(committed, file), "utf8"));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
