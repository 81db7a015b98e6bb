#!/usr/bin/env node
// The consumer-project test (`npm run test:packages`, a step of `npm test`): packs the public packages, checks
// the tarballs (publint, attw, LICENSE, README, source maps), then, in a temp folder outside the repository,
// sets up one fresh project per scenario (scenarios.mjs) that installs the tarballs and everything else from
// the registry, generates and builds it once, type-checks it with its own TypeScript, the oldest 5.x we claim
// and TypeScript 7, and runs its server and client over 127.0.0.1 under every Node version (other versions on
// CI or with STUBWRIGHT_NODE_MATRIX=1). Prints a timing line per step and a table of results; exits non-zero
// on any failure.
//
// Options: --only <scenario> (repeatable), --keep (leave the temp folder).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../support/generate-code.mjs";
import { currentNodeBin, installNode, nodeBinariesUnavailable, nodeMatrixWanted, otherNodeVersions } from "../support/node-binaries.mjs";
import { checkTarball } from "./check-tarballs.mjs";
import { packPublicPackages } from "./pack.mjs";
import { installedPeers } from "./scaffold.mjs";
import { scenarios } from "./scenarios.mjs";
import { readJson, startUntil } from "./shell.mjs";
import { installTypescripts, typecheck } from "./typescript-versions.mjs";

const { values: options } = parseArgs({ options: { only: { type: "string", multiple: true }, keep: { type: "boolean", default: false } } });
const started = performance.now();
const results = [];
const work = mkdtempSync(join(tmpdir(), "stubwright-consumer-"));
if (!relative(repoRoot, work).startsWith("..")) throw new Error(`the temp folder ${work} is inside the repository`);

try {
  const tarballs = await timed("pack the public packages", () => packPublicPackages(join(work, "packs")));
  for (const [name, tarball] of Object.entries(tarballs)) {
    const problems = await timed(`publint, attw and contents of ${name}`, () => checkTarball(name, tarball, join(work, "unpacked", name.replace("/", "+"))));
    record("tarballs", name, "publint + attw + contents", problems.length === 0, problems.join("\n"));
  }
  const tscs = await timed("install TypeScript", installTypescripts);
  const nodes = await timed("install Node", nodeVersions);
  for (const scenario of scenarios.filter((s) => options.only === undefined || options.only.includes(s.name))) {
    await runScenario(scenario, tarballs, tscs, nodes);
  }
} catch (error) {
  record("consumer test", "", "", false, error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  if (options.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
report();

/** Sets the scenario's project up once, then type-checks it with each TypeScript and runs it under each Node. */
async function runScenario(scenario, tarballs, tscs, nodes) {
  const skip = scenario.skipReason?.();
  if (skip !== undefined) {
    console.log(`scenario ${scenario.name}: SKIPPED: ${skip}`);
    record(scenario.name, "", "skipped", true, skip);
    return;
  }
  const dir = join(work, scenario.name);
  let project;
  try {
    project = await timed(`scenario ${scenario.name}: install, generate, build`, () => scenario.setup(dir, tarballs));
  } catch (error) {
    record(scenario.name, "setup", "install, generate, build", false, error.message);
    return;
  }
  const peers = safely(() => installedPeers(dir));
  const projectTs = join(dir, "node_modules/typescript");
  const compilers = [
    ...(existsSync(projectTs) ? [[readJson(join(projectTs, "package.json")).version, join(projectTs, "bin/tsc")]] : []),
    ...Object.entries(tscs),
  ];
  await timed(`scenario ${scenario.name}: type-check`, () => {
    for (const config of project.tsconfigs) {
      for (const [version, tsc] of compilers) {
        if (version.startsWith("7.") && readJson(join(dir, config)).compilerOptions?.moduleResolution === "node10") {
          record(scenario.name, `TS ${version}`, config, true, "n/a: TypeScript 7 removed moduleResolution node10");
          continue;
        }
        const { ok, note } = typecheck(dir, config, tsc);
        record(scenario.name, `TS ${version}`, config, ok, note);
      }
    }
  });
  for (const node of nodes) {
    await timed(`scenario ${scenario.name}: runs under Node ${node.version}`, async () => {
      for (const pair of project.runs) {
        const problem = await runPair(dir, pair, node.bin).catch((error) => error.message);
        record(scenario.name, `Node ${node.version}`, `${pair.label} (${peers})`, problem === undefined, problem ?? "");
      }
    });
  }
}

/** Starts the pair's server under the Node in `bin`, runs its clients against it, stops it; a problem or undefined. */
async function runPair(dir, pair, bin) {
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, PORT: pair.freePort ? String(await freePort()) : "0" };
  // A server given port 0 says which port it took; one given a free port is told it.
  const ready = pair.freePort ? /listening on/ : /listening on\s+(?:[^\s:]*:)?(\d+)/;
  const server = await startUntil(pair.server[0], pair.server.slice(1), { cwd: dir, env, ready });
  const port = pair.freePort ? env.PORT : server.match[1];
  try {
    const version = spawnSync("node", ["--version"], { env, encoding: "utf8" }).stdout.trim();
    if (`${bin}/node` !== process.execPath && !bin.includes(version.slice(1))) return `PATH runs node ${version}, not the one in ${bin}`;
    for (const [command, ...args] of pair.clients) {
      const result = spawnSync(command, args, { cwd: dir, env: { ...env, PORT: port }, encoding: "utf8", timeout: 120_000 });
      if (result.status !== 0) return `${[command, ...args].join(" ")} exited ${result.status ?? result.signal}: ${result.stdout}${result.stderr}`;
      const problem = pair.check(result.stdout);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } finally {
    await server.stop();
  }
}

/** The running Node, and the other lines when wanted and available. */
async function nodeVersions() {
  const nodes = [{ version: process.versions.node, bin: currentNodeBin }];
  const unavailable = nodeMatrixWanted() ? nodeBinariesUnavailable() : "runs on CI, or with STUBWRIGHT_NODE_MATRIX=1";
  if (unavailable !== undefined) {
    console.log(`Node ${otherNodeVersions.join(", ")} skipped: ${unavailable}`);
    return nodes;
  }
  for (const version of otherNodeVersions) nodes.push({ version, bin: await installNode(version) });
  return nodes;
}

/** A port that was free a moment ago, for servers that cannot be told to take any (port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

async function timed(label, action) {
  const stepStarted = performance.now();
  try {
    return await action();
  } finally {
    console.log(`timing: ${label}: ${seconds(stepStarted)} s`);
  }
}

function safely(read) {
  try {
    return read();
  } catch (error) {
    return `peers unknown: ${error.message}`;
  }
}

function record(scenario, axis, what, ok, note) {
  results.push({ scenario, axis, what, ok, note });
  console.log(`${ok ? "ok  " : "FAIL"} ${scenario} ${axis} ${what}${note === "" ? "" : `: ${ok ? note : `\n${note}`}`}`);
}

function seconds(since) {
  return ((performance.now() - since) / 1000).toFixed(0);
}

/** Per scenario, the TypeScript and Node versions it passed on (all of its checks on that version passed). */
function passedOn(scenario) {
  const byAxis = new Map();
  for (const { axis, ok, note } of results.filter((result) => result.scenario === scenario && /^(TS|Node) /.test(result.axis))) {
    if (!note.startsWith("n/a")) byAxis.set(axis, (byAxis.get(axis) ?? true) && ok);
  }
  const list = (prefix) => [...byAxis].filter(([axis, ok]) => ok && axis.startsWith(prefix)).map(([axis]) => axis.slice(prefix.length));
  return `TypeScript ${list("TS ").join(", ") || "none"}; Node ${list("Node ").join(", ") || "none"}`;
}

function report() {
  const failed = results.filter((result) => !result.ok);
  console.log("\npassed on:");
  for (const scenario of new Set(results.map((result) => result.scenario))) {
    if (scenario !== "tarballs" && scenario !== "consumer test") console.log(`  ${scenario}: ${passedOn(scenario)}`);
  }
  console.log(`\nconsumer-project test: ${results.length - failed.length} passed, ${failed.length} failed in ${seconds(started)} s`);
  for (const { scenario, axis, what, note } of failed) console.log(`  FAILED ${scenario} ${axis} ${what}\n${note}`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}
