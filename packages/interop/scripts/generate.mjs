// Regenerates src/gen/ from protos/ with protoc-gen-es and the workspace's own
// protoc-gen-stubwright (build it first: `npm run build` at the repository root).
// Usage: node scripts/generate.mjs [outDir]   (default: src/gen)
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(packageRoot, "src/gen"));

const buf = require.resolve("@bufbuild/buf/bin/buf");
const protocGenEs = require.resolve("@bufbuild/protoc-gen-es/bin/protoc-gen-es");
const protocGenStubwright = join(packageRoot, "../protoc-gen-stubwright/bin/protoc-gen-stubwright");

const options = ["target=ts", "import_extension=js"];
const plugin = (local) => ({ local, out, opt: options, strategy: "all" });
const template = { version: "v2", plugins: [plugin(protocGenEs), plugin(protocGenStubwright)] };

rmSync(out, { recursive: true, force: true });
execFileSync(buf, ["generate", "protos", "--template", JSON.stringify(template)], {
  cwd: packageRoot,
  stdio: ["ignore", "inherit", "inherit"],
});
console.log(`generated ${out}`);
