// Codegen benchmark (`npm run bench:codegen`; not a test): the time
// protoc-gen-stubwright and protoc-gen-es take for the same
// CodeGeneratorRequest, as separate processes the way buf and protoc run
// them (start-up included), and their ratio. Inputs come from the npm
// package google-proto-files: every google/cloud/**/v1 file in one request
// (buf's `strategy: all`), and google/cloud/compute/v1/compute.proto alone.
// The requests are built with `buf build` beforehand, so buf is not measured.
//
// BENCH_RUNS (default 1) runs each plugin that many times and keeps the best;
// BENCH_PARAMETER (default target=ts) is the plugin parameter.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { createRequire } from "node:module";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { buildRequest } from "../support/code-generator-request.mjs";
import { tools } from "../support/generate-code.mjs";

const require = createRequire(import.meta.url);
const googleProtos = dirname(require.resolve("google-proto-files/package.json"));
const runs = Number(process.env.BENCH_RUNS ?? 1);
const parameter = process.env.BENCH_PARAMETER ?? "target=ts";

const cloudV1 = readdirSync(join(googleProtos, "google/cloud"), { recursive: true })
  .map((path) => join("google/cloud", String(path)))
  .filter((path) => path.endsWith(".proto") && path.split("/").includes("v1"))
  .sort();
const inputs = [
  { name: `google/cloud/**/v1 (${cloudV1.length} files)`, paths: cloudV1 },
  { name: "google/cloud/compute/v1/compute.proto", paths: ["google/cloud/compute/v1/compute.proto"] },
];
const plugins = [
  { name: "protoc-gen-stubwright", bin: tools.protocGenStubwright },
  { name: "protoc-gen-es", bin: tools.protocGenEs },
];

console.log(`node ${process.version}, parameter "${parameter}", best of ${runs} run(s)`);
console.log(`proto root: ${relative(process.cwd(), googleProtos)}\n`);
const rows = [];
for (const input of inputs) {
  const request = toBinary(CodeGeneratorRequestSchema, buildRequest(googleProtos, { parameter, paths: input.paths }));
  const times = {};
  for (const plugin of plugins) {
    let best = Infinity;
    let files = 0;
    for (let run = 0; run < runs; run++) {
      const result = await runPlugin(plugin.bin, request);
      best = Math.min(best, result.ms);
      files = result.files;
    }
    times[plugin.name] = best;
    console.log(`${input.name}: ${plugin.name} ${(best / 1000).toFixed(2)} s, ${files} files`);
  }
  const ratio = times["protoc-gen-stubwright"] / times["protoc-gen-es"];
  rows.push({ input: input.name, request: `${(request.length / 1e6).toFixed(1)} MB`, ...seconds(times), ratio: ratio.toFixed(3) });
  console.log(`${input.name}: ratio ${ratio.toFixed(3)} (target <= 0.3)\n`);
}
console.table(rows);

/** Runs a plugin executable on the request and measures until it exits. */
function runPlugin(bin, request) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin], { stdio: ["pipe", "pipe", "inherit"] });
    const chunks = [];
    child.stdout.on("data", (chunk) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const response = fromBinary(CodeGeneratorResponseSchema, Buffer.concat(chunks));
      if (code !== 0 || (response.error ?? "") !== "") {
        reject(new Error(`${bin} failed (exit ${code}): ${response.error}`));
        return;
      }
      resolve({ ms, files: response.file.length });
    });
    child.stdin.end(request);
  });
}

function seconds(times) {
  return Object.fromEntries(Object.entries(times).map(([name, ms]) => [name, `${(ms / 1000).toFixed(2)} s`]));
}
