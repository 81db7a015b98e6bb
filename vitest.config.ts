import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // End-to-end tests start real servers on 127.0.0.1:0; forks keep each
    // file's grpc-js state and listeners to itself.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
