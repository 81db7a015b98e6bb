import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The bench package (packages/bench), where its built scripts run. */
export const benchDir = fileURLToPath(new URL("../../packages/bench/", import.meta.url));

/** How long one benchmark run may take: many times its usual time, as on a loaded machine. */
export const benchBoundMs = 240_000;

/** One scenario per kind of client call: unary, blob echo, server stream, bidi. */
const scenarioPerCallKind = ["unary-c1", "unary-1k", "stream", "pingpong"];

/** The tables' titles of {@link scenarioPerCallKind}, in order. */
export const scenarioTitles = [
  "unary small, concurrency 1",
  "unary 1 KiB, concurrency 10",
  "server streaming, 1000 small msgs/call",
  "bidi ping-pong, one stream",
];

/** What a smoke run may change: other scenarios (ids), more environment for the suite. */
export interface SuiteRunOptions {
  readonly scenarios?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs the benchmark suite (`npm run bench`, built) with the shortest runs:
 * one round of 60 ms per scenario of {@link scenarioPerCallKind}, no codec
 * micro-benchmark, and `stacks` (ids, the baseline first); `options` may name
 * other scenarios and add environment. Resolves with what it printed.
 */
export function runBenchSuite(stacks: readonly string[], boundMs: number, options: SuiteRunOptions = {}): Promise<string> {
  const env = {
    ...process.env,
    BENCH_MS: "60",
    BENCH_ROUNDS: "1",
    BENCH_CODEC: "0",
    BENCH_STACKS: stacks.join(","),
    BENCH_SCENARIOS: (options.scenarios ?? scenarioPerCallKind).join(","),
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["dist/src/main.js"], { cwd: benchDir, env, timeout: boundMs }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`the benchmark suite failed: ${error.message}\n${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** A table the suite printed: title, column names, and rows of cells. */
export interface PrintedTable {
  readonly title: string;
  readonly columns: string[];
  readonly rows: string[][];
}

/** The tables of the suite's output. */
export function printedTables(output: string): PrintedTable[] {
  const cells = (line: string) =>
    line
      .split("|")
      .slice(2, -1)
      .map((cell) => cell.trim());
  return output
    .split("\n### ")
    .slice(1)
    .map((block) => {
      const lines = block.split("\n");
      const tableLines = lines.filter((line) => line.startsWith("| "));
      return { title: lines[0]!, columns: cells(tableLines[0]!), rows: tableLines.slice(2).map(cells) };
    });
}

/**
 * Checks that every cell is a positive figure: "1,234", "0.511", or
 * "1,432 (0.94×)" (with its ratio to the baseline); returns the cells that
 * are not.
 */
export function nonFigures(table: PrintedTable): string[] {
  return table.rows.flat().filter((cell) => {
    const figure = /^\d[\d,]*(\.\d+)?( \(\d+\.\d{2}×\))?$/.test(cell);
    return !figure || !(Number(cell.split(" ")[0]!.replaceAll(",", "")) > 0);
  });
}
