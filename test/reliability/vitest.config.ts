import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The reliability suite (`npm run test:reliability`, which runs it through
 * run.mjs): one file per kind of fault, one after the other, each starting its
 * own server processes. Its files end in `.reliability.ts`, so the default
 * `vitest run` never picks them up.
 */
export default defineConfig({
  root: resolve(dirname(fileURLToPath(import.meta.url)), "../.."),
  test: {
    include: ["test/reliability/**/*.reliability.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    pool: "forks",
    // The sections load the machine on purpose; running them side by side
    // would only make each one's bounds harder to reason about.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
