import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script of the bench package, without declarations.
import { renderVersion } from "../../../packages/bench/scripts/matrix-report.mjs";
import { benchBoundMs, nonFigures, printedTables, runBenchSuite } from "../../support/bench-suite.js";
import { allowTimeForPrograms } from "../../support/program-timeouts.js";

allowTimeForPrograms();

// `npm run bench:matrix` publishes issue 21's tables and targets from the suite's samples (BENCH_JSON).
// A smoke run of the scenarios it added, with the stacks its targets compare, as short as possible:
// it checks that every figure is a number and every target is judged, never how large a figure is.
const stacks = ["baseline", "stubwright", "stubwright-leaf", "grpc-js-no-codec", "ts-proto"];
const scenarios = ["unary-64k-order", "unary-1m", "long-server-stream", "long-client-stream", "streams-10k"];
const dir = mkdtempSync(join(tmpdir(), "stubwright-matrix-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("benchmark matrix (smoke run of issue 21's scenarios)", () => {
  it(
    "measures large messages, long streams both ways and held streams, and marks every target",
    async () => {
      const json = join(dir, "suite.json");
      // Twice the usual bound: this run starts five stacks' clients in five scenarios.
      const output = await runBenchSuite(stacks, 2 * benchBoundMs, {
        scenarios,
        env: { BENCH_JSON: json, BENCH_HELD_STREAMS: "200", BENCH_CODEC: "1", BENCH_CODEC_MS: "20", BENCH_CODEC_ROUNDS: "1" },
      });
      const printed = printedTables(output);
      const throughputTables = printed.filter((table) => !table.title.includes("concurrent bidi streams"));
      expect(throughputTables.map((table) => table.title)).toEqual([
        expect.stringContaining("codec"),
        expect.stringMatching(/^unary 64 KiB of many fields/),
        "unary 1 MiB, mostly one bytes field, concurrency 2",
        "one long server stream of small msgs",
        "one long client stream of small msgs",
      ]);
      for (const table of throughputTables) {
        // The rates must be positive; GC counts may be 0 in runs this short.
        expect(nonFigures({ ...table, rows: table.rows.slice(0, 1) }), table.title).toEqual([]);
        expect(
          table.rows.flat().filter((cell) => !/^\d[\d,]*(\.\d+)?( \(\d+\.\d{2}×\))?$/.test(cell)),
          table.title,
        ).toEqual([]);
      }

      const run = JSON.parse(readFileSync(json, "utf8"));
      const held = run.scenarios.find((scenario: { id: string }) => scenario.id === "streams-10k");
      for (const id of stacks) {
        const [sample] = held.samples[id];
        expect(sample.rate, id).toBeGreaterThan(0);
        expect(Number.isFinite(sample.serverKiBPerStream) && Number.isFinite(sample.clientKiBPerStream), id).toBe(true);
      }

      const markdown: string = renderVersion(run);
      expect(markdown).toContain(`### Node ${process.version}`);
      const row = markdown.split("\n").find((line: string) => line.startsWith("| one long client stream"));
      expect(
        row
          ?.split("|")
          .slice(2, -1)
          .map((cell: string) => cell.trim()),
      ).toEqual([expect.stringMatching(/^[\d,]+ msgs\/s$/), ...stacks.slice(1).map(() => expect.stringMatching(/^\d+\.\d\d×$/))]);
      for (const target of ["every other grpc-js stack", "no-codec control", "Default-on propagation", "Codec ≥"]) {
        expect(markdown.split("\n").find((line: string) => line.includes(target)) ?? `no line for ${target}`).toMatch(/met|for information|documented/);
      }
    },
    3 * benchBoundMs,
  );
});
