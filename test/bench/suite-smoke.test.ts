import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `npm run bench` carries issue 8's comparison with every other stack, so
// every stack must keep working in it. A smoke run with the shortest runs:
// it checks that every stack answers in every kind of call and that every
// figure is a number, never how large it is.
const benchDir = fileURLToPath(new URL("../../packages/bench/", import.meta.url));
/** One scenario per kind of client call: unary, blob echo, server stream, bidi. */
const scenarioIds = ["unary-c1", "unary-1k", "stream", "pingpong"];

function runSuite(): Promise<string> {
  const env = { ...process.env, BENCH_MS: "60", BENCH_ROUNDS: "1", BENCH_CODEC: "0", BENCH_SCENARIOS: scenarioIds.join(",") };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["dist/src/main.js"], { cwd: benchDir, env, timeout: 150_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`the benchmark suite failed: ${error.message}\n${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** The tables of the suite's output: title, column names, and rows of cells. */
function tables(output: string): { title: string; columns: string[]; rows: string[][] }[] {
  const cells = (line: string) => line.split("|").slice(2, -1).map((cell) => cell.trim());
  return output.split("\n### ").slice(1).map((block) => {
    const lines = block.split("\n");
    const tableLines = lines.filter((line) => line.startsWith("| "));
    return { title: lines[0]!, columns: cells(tableLines[0]!), rows: tableLines.slice(2).map(cells) };
  });
}

describe("benchmark suite (smoke run)", () => {
  it("runs every stack in every kind of call and prints a number in every cell", async () => {
    const printed = tables(await runSuite());
    expect(printed.map((table) => table.title)).toEqual([
      "unary small, concurrency 1",
      "unary 1 KiB, concurrency 10",
      "server streaming, 1000 small msgs/call",
      "bidi ping-pong, one stream",
    ]);
    for (const { columns, rows } of printed) {
      expect(columns).toEqual([
        "grpc-js + protobuf-es (baseline)",
        "Stubwright",
        "Stubwright, propagate: false",
        "grpc-js + compiled codec",
        "grpc-js + compiled codec + AsyncLocalStorage",
        "grpc-js, no codec (ceiling)",
        "ts-proto (grpc-js)",
        "nice-grpc (ts-proto)",
        "connect-node (gRPC)",
        "@grpc/proto-loader",
      ]);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows) {
        for (const cell of row) {
          // "1,234", "0.511", "1,432 (0.94×)": a positive figure, with its ratio after the baseline.
          expect(cell).toMatch(/^\d[\d,]*(\.\d+)?( \(\d+\.\d{2}×\))?$/);
          expect(Number(cell.split(" ")[0]!.replaceAll(",", ""))).toBeGreaterThan(0);
        }
      }
    }
  }, 180_000);
});
