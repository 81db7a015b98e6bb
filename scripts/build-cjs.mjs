#!/usr/bin/env node
// Builds a package's CommonJS output into dist/cjs/ from its tsconfig.cjs.json, and marks that folder as
// CommonJS (the package itself is "type": "module"). Run from the root build (so tests that require() the
// runtime find it in a fresh clone) and from each package's prepack (scripts/build-for-pack.mjs).
// Usage: node scripts/build-cjs.mjs <package dir>...
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Builds `packageDir`'s CommonJS output, if it has a tsconfig.cjs.json; exits the process on a tsc error. */
export function buildCjs(packageDir) {
  const config = join(packageDir, "tsconfig.cjs.json");
  if (!existsSync(config)) return;
  const tsc = createRequire(join(packageDir, "package.json")).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", config], { cwd: packageDir, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(`build-cjs: tsc -p tsconfig.cjs.json failed in ${packageDir}\n`);
    process.exit(result.status ?? 1);
  }
  mkdirSync(join(packageDir, "dist/cjs"), { recursive: true });
  writeFileSync(join(packageDir, "dist/cjs/package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const dir of process.argv.slice(2)) buildCjs(resolve(dir));
}
