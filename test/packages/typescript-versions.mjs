// The TypeScript versions each consumer project is type-checked with, besides its own: the oldest 5.x we
// claim and the native compiler (typescript@7, whose package provides `tsc`). Installed once, side by side
// under npm aliases, and cached in node_modules/.cache.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../support/generate-code.mjs";
import { run, runStatus, writeJson } from "./shell.mjs";

/** The versions checked: the oldest 5.x claimed in docs/getting-started.md, and TypeScript 7. */
const typescriptVersions = ["5.0.4", "7.0.2"];

const cacheDir = join(repoRoot, "node_modules/.cache/stubwright-typescript");

/** Installs (once) every version of `typescriptVersions`; returns each `tsc` script's path by version. */
export function installTypescripts() {
  const tscOf = (version) => join(cacheDir, "node_modules", `typescript-${version}`, "bin/tsc");
  if (!typescriptVersions.every((version) => existsSync(tscOf(version)))) {
    mkdirSync(cacheDir, { recursive: true });
    const dependencies = Object.fromEntries(typescriptVersions.map((version) => [`typescript-${version}`, `npm:typescript@${version}`]));
    writeJson(join(cacheDir, "package.json"), { name: "stubwright-typescript-cache", private: true, dependencies });
    run("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--prefer-offline"], cacheDir);
  }
  return Object.fromEntries(typescriptVersions.map((version) => [version, tscOf(version)]));
}

/**
 * Type-checks `config` in `dir` with the `tsc` script at `tsc`. Errors located in the declarations of
 * @bufbuild/protobuf or @grpc/grpc-js are reported but tolerated (ours must be clean): their newer releases
 * use syntax older compilers reject (`Uint8Array<ArrayBuffer>` needs TypeScript 5.7), which `skipLibCheck`
 * hides. Returns `{ ok, note }`.
 */
export function typecheck(dir, config, tsc) {
  const { status, output } = runStatus(process.execPath, [tsc, "-p", config, "--noEmit"], dir);
  if (status === 0) return { ok: true, note: "" };
  const errors = output.split("\n").filter((line) => /error TS\d+/.test(line));
  const ours = errors.filter((line) => !/^node_modules\/(@bufbuild\/protobuf|@grpc\/grpc-js)\//.test(line));
  if (errors.length > 0 && ours.length === 0) return { ok: true, note: `${errors.length} error(s) in peers' declarations tolerated` };
  return { ok: false, note: ours.slice(0, 20).join("\n") || output };
}
