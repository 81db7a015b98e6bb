// The last step of `npm test` on CI (or with STUBWRIGHT_NODE_MATRIX=1): runs the end-to-end tests (test/e2e)
// again under the other Node.js lines users run. The whole vitest suite ran under the Node that runs npm in an
// earlier step, and the consumer-project test (test/packages/run.mjs) runs real projects under every line.
//
// The suite is already built: the runtime, plugin and CLI are plain JavaScript, and the tests that spawn `node`
// find the version under test first on PATH.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./generate-code.mjs";
import { installNode, nodeBinariesUnavailable, nodeMatrixWanted, otherNodeVersions } from "./node-binaries.mjs";

const testDirs = ["test/e2e"];

if (!nodeMatrixWanted()) {
  console.log(`node matrix skipped: runs on CI, or with STUBWRIGHT_NODE_MATRIX=1 (Node ${otherNodeVersions.join(", ")})`);
  process.exit(0);
}
const unavailable = nodeBinariesUnavailable();
if (unavailable !== undefined) {
  console.log(`node matrix skipped: ${unavailable}`);
  process.exit(0);
}

/** Runs the vitest files of `testDirs` under the Node binary in `bin`; resolves to its exit code and summary. */
function runSuite(bin) {
  return new Promise((resolve) => {
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const child = spawn(join(bin, "node"), [join(repoRoot, "node_modules/vitest/vitest.mjs"), "run", ...testDirs], {
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
for (const version of otherNodeVersions) {
  const started = performance.now();
  let bin;
  try {
    bin = await installNode(version);
  } catch (error) {
    console.error(`node matrix: could not install Node ${version}: ${error.message}`);
    results.push({ version, code: 1, summary: "not installed" });
    continue;
  }
  console.log(`\nnode matrix: vitest ${testDirs.join(" ")} under Node ${version}`);
  const { code, summary } = await runSuite(bin);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`timing: node matrix, Node ${version}: ${seconds} s`);
  results.push({ version, code, summary, seconds });
}
console.log(`\nnode matrix (${testDirs.join(" ")}):`);
for (const { version, code, summary, seconds } of results) {
  console.log(`  Node ${version}: ${code === 0 ? "passed" : "FAILED"} (${summary}${seconds === undefined ? "" : `, ${seconds} s`})`);
}
process.exit(results.every((result) => result.code === 0) ? 0 : 1);
