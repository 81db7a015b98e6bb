import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

/** Smoke runs of every benchmark: `npm run test:bench`, which `npm run bench` runs first. */
export const benchTests = "test/bench/full/**";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, benchTests],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // End-to-end tests start real servers on 127.0.0.1:0; forks keep each
    // file's grpc-js state and listeners to itself.
    pool: "forks",
    // At least two files at a time, also on 2 cores (vitest's default there is one): the suite's files mostly
    // wait on their servers and child processes, and on a busy machine two workers get twice the CPU share.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Bounds that only catch a hang: no test waits on time to decide its
    // outcome, and a loaded machine may run one many times slower than usual.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
