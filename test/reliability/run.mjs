// The reliability suite (docs/reliability.md):
//
//   npm run test:reliability                      the CI run (a couple of minutes)
//   npm run test:reliability -- --soak[=FACTOR]   FACTOR times the rounds (default 20), for runs outside CI
//   npm run test:reliability -- --seed=N          replay the random plan of an earlier run
//
// STUBWRIGHT_RELIABILITY_SOAK=FACTOR and STUBWRIGHT_RELIABILITY_SEED=N do the same.
// Builds the inventory demo (which the suite runs as a server), runs the
// sections with vitest (test/reliability/vitest.config.ts), then prints the
// figures they recorded and checks that no process they started is left.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");
const defaultSoakFactor = 20;

const options = parseOptions(process.argv.slice(2), process.env);
const started = performance.now();
console.log(`reliability suite: seed ${options.seed}, ${options.scale === 1 ? "CI run" : `soak run (${options.scale}x the rounds)`}`);
console.log(`  reproduce with: npm run test:reliability -- --seed=${options.seed}${options.scale === 1 ? "" : ` --soak=${options.scale}`}\n`);

buildDemo();
const figuresDir = mkdtempSync(join(tmpdir(), "stubwright-reliability-"));
const vitestStarted = performance.now();
const vitestCode = await runVitest(figuresDir);
const sections = readFigures(figuresDir);
rmSync(figuresDir, { recursive: true, force: true });
const leftovers = living(sections.flatMap((section) => section.childPids));
for (const pid of leftovers) process.kill(pid, "SIGKILL");
printReport(sections, leftovers, performance.now() - vitestStarted, performance.now() - started);
const missing = sections.length === 0;
if (missing) console.log("no section wrote its figures");
process.exitCode = vitestCode !== 0 || leftovers.length > 0 || missing ? 1 : 0;

/** --soak[=FACTOR] and --seed=N, or their environment variables; anything else is an error. */
function parseOptions(args, env) {
  let scale = env.STUBWRIGHT_RELIABILITY_SOAK === undefined ? 1 : factor(env.STUBWRIGHT_RELIABILITY_SOAK);
  let seed = env.STUBWRIGHT_RELIABILITY_SEED === undefined ? undefined : integer("STUBWRIGHT_RELIABILITY_SEED", env.STUBWRIGHT_RELIABILITY_SEED);
  for (const arg of args) {
    const [name, value] = arg.split(/=(.*)/s);
    if (name === "--soak") scale = factor(value ?? "");
    else if (name === "--seed" && value !== undefined) seed = integer("--seed", value);
    else usage(`unknown argument ${JSON.stringify(arg)}`);
  }
  return { scale, seed: seed ?? Math.floor(Math.random() * 2 ** 31) };
}

function factor(value) {
  if (value === "" || value === "true") return defaultSoakFactor;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) usage(`--soak wants a positive factor, got ${JSON.stringify(value)}`);
  return parsed;
}

function integer(name, value) {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) usage(`${name} wants a non-negative integer, got ${JSON.stringify(value)}`);
  return parsed;
}

function usage(problem) {
  console.error(`test:reliability: ${problem}\nusage: npm run test:reliability [-- --soak[=FACTOR]] [-- --seed=N]`);
  process.exit(2);
}

/** `npm run demo`'s build steps: generate the demo's code into gen/, compile packages/demo. */
function buildDemo() {
  const at = performance.now();
  execFileSync(process.execPath, [join(repoRoot, "packages/cli/bin/stubwright.js"), "generate"], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "inherit"],
  });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(repoRoot, "packages/demo/tsconfig.json")], {
    cwd: repoRoot,
    stdio: "inherit",
  });
  console.log(`built the inventory demo in ${seconds(performance.now() - at)}\n`);
}

async function runVitest(dir) {
  const vitest = join(dirname(require.resolve("vitest/package.json")), "vitest.mjs");
  const child = spawn(process.execPath, [vitest, "run", "--config", join(here, "vitest.config.ts")], {
    cwd: repoRoot,
    stdio: "inherit",
    env: {
      ...process.env,
      STUBWRIGHT_RELIABILITY_SEED: String(options.seed),
      STUBWRIGHT_RELIABILITY_SCALE: String(options.scale),
      STUBWRIGHT_RELIABILITY_FIGURES: dir,
    },
  });
  const [code, signal] = await once(child, "exit");
  return code ?? (signal === null ? 1 : 128);
}

function readFigures(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")));
}

function living(pids) {
  return [...new Set(pids)].filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

function printReport(sections, leftovers, suiteMs, totalMs) {
  const sum = (records) => {
    const total = {};
    for (const record of records) for (const [key, count] of Object.entries(record)) total[key] = (total[key] ?? 0) + count;
    return Object.entries(total).sort(([a], [b]) => a.localeCompare(b));
  };
  const calls = sections.reduce((total, section) => total + section.calls, 0);
  const faults = sum(sections.map((section) => section.faults));
  const lines = ["", `=== reliability figures (seed ${options.seed}, scale ${options.scale}) ===`, "", "section                calls  duration"];
  for (const section of sections) lines.push(`  ${section.section.padEnd(20)} ${String(section.calls).padStart(5)}  ${seconds(section.durationMs)}`);
  lines.push("", `faults injected: ${faults.reduce((total, [, count]) => total + count, 0)}`);
  for (const [kind, count] of faults) lines.push(`  ${String(count).padStart(6)}  ${kind}`);
  lines.push("", `statuses seen (${calls} calls):`);
  for (const [status, count] of sum(sections.map((section) => section.statuses))) lines.push(`  ${String(count).padStart(6)}  ${status}`);
  lines.push("", "server memory after a forced GC, before -> after the faults:");
  for (const section of sections) {
    for (const { server, before, after } of section.memory) {
      lines.push(
        `  ${`${section.section}, ${server}`.padEnd(36)} heap ${mib(before.heapUsed)} -> ${mib(after.heapUsed)}, RSS ${mib(before.rss)} -> ${mib(after.rss)}`,
      );
    }
  }
  const notes = sections.flatMap((section) => section.notes.map((note) => `${section.section}: ${note}`));
  if (notes.length > 0) lines.push("", "notes:", ...notes.map((note) => `  ${note}`));
  lines.push("", `child processes left running: ${leftovers.length === 0 ? "none" : leftovers.join(", ")}`);
  lines.push(`duration: ${seconds(suiteMs)} for the sections, ${seconds(totalMs)} in all (with the demo build)`, "");
  console.log(lines.join("\n"));
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function mib(bytes) {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
