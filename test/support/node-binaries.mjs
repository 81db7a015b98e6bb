// Other Node.js versions for the tests that run under several: each binary comes from the registry package the
// `node` package itself installs (node-<platform>-<arch>), pinned to an exact version and cached in
// node_modules/.cache, so a clean checkout needs nothing but npm.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./generate-code.mjs";

/** Exact versions of the other Node lines tested: the newest of each line when this was last updated. */
export const otherNodeVersions = ["22.23.5", "24.22.3", "26.12.1"];

const platforms = { linux: ["x64", "arm64"], darwin: ["x64", "arm64"] };
const run = promisify(execFile);
const cacheRoot = join(repoRoot, "node_modules/.cache/stubwright-node");

/** Why other Node versions cannot run here, or undefined when they can. */
export function nodeBinariesUnavailable() {
  return platforms[process.platform]?.includes(process.arch) ? undefined : `no Node package for ${process.platform}-${process.arch}`;
}

/** True on CI (`CI=true`) or with STUBWRIGHT_NODE_MATRIX=1: the runs that install and use other Node versions. */
export function nodeMatrixWanted() {
  return process.env.CI === "true" || process.env.STUBWRIGHT_NODE_MATRIX === "1";
}

/** The folder of the running Node's binary, the first entry of a Node matrix. */
export const currentNodeBin = dirname(process.execPath);

/** Installs (once) the given Node version; returns the folder of its `node` binary. */
export async function installNode(version) {
  const name = `node-${process.platform}-${process.arch}`;
  const dir = join(cacheRoot, version);
  const bin = join(dir, "node_modules", name, "bin");
  if (existsSync(join(bin, "node"))) return bin;
  mkdirSync(dir, { recursive: true });
  // A package.json of its own keeps npm from treating the folder as part of the workspace.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "stubwright-node-cache", private: true }));
  await run("npm", ["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts", `${name}@${version}`], {
    cwd: dir,
    maxBuffer: 1 << 24,
  });
  if (!existsSync(join(bin, "node"))) throw new Error(`installing ${name}@${version} left no ${join(bin, "node")}`);
  return bin;
}
