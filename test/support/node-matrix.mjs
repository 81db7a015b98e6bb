// The last step of `npm test` on CI (or with STUBWRIGHT_NODE_MATRIX=1): runs
// the vitest suite again under the other Node.js lines users run, 22 and 24.
// The first run, under the Node that runs npm, is the step before this one.
//
// Each Node binary comes from the registry package the `node` package itself
// installs (node-<platform>-<arch>), pinned to an exact version and cached in
// node_modules/.cache, so a clean checkout needs nothing but npm. The suite
// is already built: the runtime, plugin and CLI are plain JavaScript, and the
// tests that spawn `node` (the plugin under protoc and buf, the CLI) find the
// version under test first on PATH.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./generate-code.mjs";

/** Exact versions: the newest of each line when this was last updated. */
const versions = ["22.23.3", "24.21.0"];

const wanted = process.env.CI === "true" || process.env.STUBWRIGHT_NODE_MATRIX === "1";
if (!wanted) {
  console.log("node matrix skipped: runs on CI, or with STUBWRIGHT_NODE_MATRIX=1 (Node 22 and 24)");
  process.exit(0);
}
const platforms = { linux: ["x64", "arm64"], darwin: ["x64", "arm64"] };
if (!platforms[process.platform]?.includes(process.arch)) {
  console.log(`node matrix skipped: no Node package for ${process.platform}-${process.arch}`);
  process.exit(0);
}

const run = promisify(execFile);
const cacheRoot = join(repoRoot, "node_modules/.cache/stubwright-node");

/** Installs (once) the given Node version; returns the folder of its binary. */
async function install(version) {
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

/** Runs the vitest suite under the Node binary in `bin`; resolves to its exit code and summary line. */
function runSuite(bin) {
  return new Promise((resolve) => {
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const child = spawn(join(bin, "node"), [join(repoRoot, "node_modules/vitest/vitest.mjs"), "run"], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let tail = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4_000);
    });
    child.on("close", (code) => {
      const summary = /(\d+ passed, \d+ failed, \d+ skipped)/.exec(tail)?.[1] ?? "no summary";
      resolve({ code: code ?? 1, summary });
    });
  });
}

const results = [];
for (const version of versions) {
  const started = performance.now();
  let bin;
  try {
    bin = await install(version);
  } catch (error) {
    console.error(`node matrix: could not install Node ${version}: ${error.message}`);
    results.push({ version, code: 1, summary: "not installed" });
    continue;
  }
  console.log(`\nnode matrix: vitest under Node ${version}`);
  const { code, summary } = await runSuite(bin);
  results.push({ version, code, summary, seconds: ((performance.now() - started) / 1000).toFixed(0) });
}
console.log("\nnode matrix:");
for (const { version, code, summary, seconds } of results) {
  console.log(`  Node ${version}: ${code === 0 ? "passed" : "FAILED"} (${summary}${seconds === undefined ? "" : `, ${seconds} s`})`);
}
process.exit(results.every((result) => result.code === 0) ? 0 : 1);
