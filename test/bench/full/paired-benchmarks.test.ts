import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { benchBoundMs } from "../../support/bench-suite.js";
import { allowTimeForPrograms } from "../../support/program-timeouts.js";

allowTimeForPrograms();

// The paired benchmarks carry issue 3's and issue 8's figures, so they must
// keep running. Smoke runs with a handful of rounds: they check that every
// figure is printed and finite, never how large it is (speed is the
// benchmarks' own output, not a test's assertion).
const benchDir = fileURLToPath(new URL("../../../packages/runtime/bench/", import.meta.url));
const pairedSuiteDir = fileURLToPath(new URL("../../../packages/bench/paired/", import.meta.url));

function runBench(script: string, args: string[], dir = benchDir): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [dir + script, ...args], { timeout: benchBoundMs }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${script} failed: ${error.message}\n${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** Every "CPU x % [low … high], wall …" figure line, parsed. */
function intervals(output: string): number[][] {
  const figure = /(-?\d+\.\d+) % \[(-?\d+\.\d+) % … (-?\d+\.\d+) %\]/g;
  return [...output.matchAll(figure)].map((match) => match.slice(1, 4).map(Number));
}

describe("paired benchmarks (smoke runs)", () => {
  it("bench:propagation prints all four comparisons and the inheriting path's own cost", async () => {
    const output = await runBench("propagation.bench.mjs", ["100", "4"]);
    for (const label of ["on vs off ", "on vs off with B's deadline", "off with B's deadline vs off", "off again vs off"]) {
      expect(output).toContain(label);
    }
    const figures = intervals(output);
    expect(figures).toHaveLength(8); // CPU and wall for each comparison
    for (const [median, low, high] of figures) {
      expect(Number.isFinite(median)).toBe(true);
      expect(low).toBeLessThanOrEqual(median!);
      expect(median).toBeLessThanOrEqual(high!);
    }
    expect(output).toMatch(/\+?-?\d+ ns per call/);
  });

  it.each([
    { args: ["4"], where: "one process", serving: "propagating" },
    { args: ["2", "--isolated", "--leaf"], where: "a process per mode", serving: "propagate: false" },
  ])("bench:over-grpc-js $args compares both scenarios with their noise floors", async ({ args, where, serving }) => {
    const output = await runBench("over-grpc-js.bench.mjs", args);
    expect(output).toContain(where);
    expect(output).toContain(serving);
    expect(output).toMatch(/unary, concurrency 100: Stubwright \d+ calls\/s/);
    expect(output).toMatch(/server streaming: Stubwright \d+ msgs\/s/);
    expect(intervals(output)).toHaveLength(16); // 4 comparisons × CPU and wall × 2 scenarios
  });

  it("bench:rest compares REST and gRPC calls to the same handlers in both scenarios", async () => {
    const output = await runBench("rest.bench.mjs", ["2"]);
    expect(output).toMatch(/unary, concurrency 100: REST \d+ calls\/s, \d+\.\d+ µs CPU\/call; gRPC \d+ calls\/s/);
    expect(output).toMatch(/server streaming, 1000 msgs\/call: REST \d+ msgs\/s, \d+\.\d+ µs CPU\/msg; gRPC \d+ msgs\/s/);
    expect(intervals(output)).toHaveLength(12); // 3 comparisons × CPU and wall × 2 scenarios
  });

  it("bench:codec-ceiling prints every codec's figures and speed-ups in both scenarios", async () => {
    const output = await runBench("codec-ceiling.bench.mjs", ["2"], pairedSuiteDir);
    expect(output).toMatch(/unary 64 KiB, concurrency 10:\n {2}protobuf-es +\d+ calls\/s/);
    expect(output).toMatch(/server streaming, 1000 small msgs\/call:\n {2}protobuf-es +\d+ msgs\/s/);
    const speedups = [...output.matchAll(/speed-up CPU (\d+\.\d+)× \[(\d+\.\d+) … (\d+\.\d+)\], wall (\d+\.\d+)×/g)];
    expect(speedups.map((match) => output.slice(0, match.index).split("\n").at(-1)!.trim())).toEqual([
      "compiled codec",
      "no codec",
      "protobuf-es again",
      "compiled codec",
      "no codec",
      "protobuf-es again",
    ]);
    for (const [, median, low, high, wall] of speedups) {
      expect(Number(low)).toBeLessThanOrEqual(Number(median));
      expect(Number(median)).toBeLessThanOrEqual(Number(high));
      expect(Number(wall)).toBeGreaterThan(0);
    }
    expect(intervals(output)).toHaveLength(2); // the noise floor of each scenario
  });
});
