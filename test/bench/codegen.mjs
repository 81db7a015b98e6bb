// Codegen benchmark (`npm run bench:codegen`; not a test): what generating Stubwright's code costs a user,
// who runs `buf generate` with protoc-gen-es and protoc-gen-stubwright where they would otherwise run
// protoc-gen-es alone. Both ways run on the same files from source (buf compiles them each time, as a user's
// run does), `strategy: all`, wall and CPU time (buf and its plugin processes together), in paired rounds:
// one run of each per round, in alternating order, and the median of the per-round ratios.
// Inputs come from the npm package google-proto-files: every google/cloud/**/v1 file, and
// google/cloud/compute/v1/compute.proto alone.
//
// BENCH_RUNS (default 3) is the number of rounds; BENCH_PARAMETER (default target=ts) the plugins' parameter.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { tools } from "../support/generate-code.mjs";

const require = createRequire(import.meta.url);
const googleProtos = dirname(require.resolve("google-proto-files/package.json"));
const rounds = Number(process.env.BENCH_RUNS ?? 3);
const parameter = process.env.BENCH_PARAMETER ?? "target=ts";
/** The target of issue 21: both plugins cost at most this times protoc-gen-es alone (cloud v1, wall and CPU). */
const targetRatio = 1.1;

const cloudV1 = readdirSync(join(googleProtos, "google/cloud"), { recursive: true })
  .map((path) => join("google/cloud", String(path)))
  .filter((path) => path.endsWith(".proto") && path.split("/").includes("v1"))
  .sort();
const inputs = [
  { name: `google/cloud/**/v1 (${cloudV1.length} files)`, paths: cloudV1, target: true },
  { name: "google/cloud/compute/v1/compute.proto", paths: ["google/cloud/compute/v1/compute.proto"], target: false },
];
const setups = [
  { name: "protoc-gen-es alone", plugins: [tools.protocGenEs] },
  { name: "protoc-gen-es + protoc-gen-stubwright", plugins: [tools.protocGenEs, tools.protocGenStubwright] },
];

/** Median of a list. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `buf generate` once through sh, whose `times` reports the CPU its waited-for children used (buf, and
 * through buf the plugins); resolves with wall and CPU seconds.
 */
function bufGenerate(plugins, paths) {
  const out = mkdtempSync(join(tmpdir(), "stubwright-codegen-"));
  const template = { version: "v2", plugins: plugins.map((local) => ({ local, out, opt: [parameter], strategy: "all" })) };
  const args = ["generate", googleProtos, "--template", JSON.stringify(template), ...paths.flatMap((path) => ["--path", join(googleProtos, path)])];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile("/bin/sh", ["-c", '"$@" >/dev/null && times', "sh", tools.buf, ...args], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const wall = (performance.now() - started) / 1000;
      rmSync(out, { recursive: true, force: true });
      if (error) return reject(new Error(`buf generate failed: ${error.message}\n${stderr}`));
      // `times` prints the shell's own user/system time, then its children's: "0m1.234s 0m0.567s".
      const children = stdout.trim().split("\n").at(-1) ?? "";
      const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      if (seconds.length !== 2) return reject(new Error(`unexpected output of times: ${stdout}`));
      resolve({ wall, cpu: seconds[0] + seconds[1] });
    });
  });
}

console.log(`node ${process.version}, buf ${relative(process.cwd(), tools.buf)}, parameter "${parameter}", ${rounds} paired rounds`);
for (const input of inputs) {
  const samples = setups.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) samples[i].push(await bufGenerate(setups[i].plugins, input.paths));
  }
  const ratio = (key) => median(samples[1].map((both, round) => both[key] / samples[0][round][key]));
  const [wall, cpu] = [ratio("wall"), ratio("cpu")];
  for (const [i, setup] of setups.entries()) {
    console.log(
      `${input.name}: ${setup.name}: wall ${median(samples[i].map((s) => s.wall)).toFixed(2)} s, CPU ${median(samples[i].map((s) => s.cpu)).toFixed(2)} s`,
    );
  }
  const verdict = input.target ? ` (target ≤ ${targetRatio}×: ${wall <= targetRatio && cpu <= targetRatio ? "met" : "not met"})` : "";
  console.log(`${input.name}: both plugins / protoc-gen-es alone: wall ${wall.toFixed(2)}×, CPU ${cpu.toFixed(2)}×${verdict}\n`);
}
