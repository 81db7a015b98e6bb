import { describe, expect, it } from "vitest";
import { nonFigures, printedTables, runBenchSuite, scenarioTitles } from "../support/bench-suite.js";
import { allowTimeForPrograms, programTimeoutMs } from "../support/program-timeouts.js";

allowTimeForPrograms();

// The one benchmark run of the default suite, to keep `npm run bench` working
// between its own runs (which smoke-test every stack and every paired
// benchmark, test/bench/full): the baseline and Stubwright, in every kind of
// call, with the shortest runs. It checks that every figure is a number,
// never how large it is.
describe("benchmark suite (smoke run)", () => {
  it("runs the baseline and Stubwright in every kind of call and prints a number in every cell", async () => {
    const printed = printedTables(await runBenchSuite(["baseline", "stubwright"], programTimeoutMs));
    expect(printed.map((table) => table.title)).toEqual(scenarioTitles);
    for (const table of printed) {
      expect(table.columns).toEqual(["grpc-js + protobuf-es (baseline)", "Stubwright"]);
      expect(table.rows.length).toBeGreaterThanOrEqual(2);
      expect(nonFigures(table), table.title).toEqual([]);
    }
  });
});
