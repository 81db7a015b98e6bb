import { describe, expect, it } from "vitest";
import { benchBoundMs, nonFigures, printedTables, runBenchSuite, scenarioTitles } from "../../support/bench-suite.js";
import { allowTimeForPrograms } from "../../support/program-timeouts.js";

allowTimeForPrograms();

// `npm run bench` carries issue 8's comparison with every other stack, so
// every stack must keep working in it. A smoke run with the shortest runs:
// it checks that every stack answers in every kind of call and that every
// figure is a number, never how large it is.
const columns = {
  baseline: "grpc-js + protobuf-es (baseline)",
  stubwright: "Stubwright",
  "stubwright-leaf": "Stubwright, propagate: false",
  "grpc-js-compiled": "grpc-js + compiled codec",
  "grpc-js-compiled-als": "grpc-js + compiled codec + AsyncLocalStorage",
  "grpc-js-no-codec": "grpc-js, no codec (ceiling)",
  "ts-proto": "ts-proto (grpc-js)",
  "nice-grpc": "nice-grpc (ts-proto)",
  connect: "connect-node (gRPC)",
  "proto-loader": "@grpc/proto-loader",
};

describe("benchmark suite (smoke run of every stack)", () => {
  it("runs every stack in every kind of call and prints a number in every cell", async () => {
    const printed = printedTables(await runBenchSuite(Object.keys(columns), benchBoundMs));
    expect(printed.map((table) => table.title)).toEqual(scenarioTitles);
    for (const table of printed) {
      expect(table.columns).toEqual(Object.values(columns));
      expect(table.rows.length).toBeGreaterThanOrEqual(2);
      expect(nonFigures(table), table.title).toEqual([]);
    }
  });
});
