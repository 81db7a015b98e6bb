#!/usr/bin/env node
// The prepack script of each public package: builds the package in the current directory from scratch, so
// that `npm pack` and `npm publish` work from a fresh clone and never ship the output of a deleted source
// file. Runs tsc -b, then, where the package has a tsconfig.cjs.json, its CommonJS build into dist/cjs/,
// which its own package.json marks as CommonJS (the package itself is "type": "module").
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { buildCjs } from "./build-cjs.mjs";

const packageDir = process.cwd();
const tsc = createRequire(join(packageDir, "package.json")).resolve("typescript/bin/tsc");

rmSync(join(packageDir, "dist"), { recursive: true, force: true });
rmSync(join(packageDir, "tsconfig.tsbuildinfo"), { force: true });
runTsc(["-b"]);
buildCjs(packageDir);

function runTsc(args) {
  const result = spawnSync(process.execPath, [tsc, ...args], { cwd: packageDir, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(`build-for-pack: tsc ${args.join(" ")} failed in ${packageDir}\n`);
    process.exit(result.status ?? 1);
  }
}
