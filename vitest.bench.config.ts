import { defineConfig } from "vitest/config";
import suite, { benchTests } from "./vitest.config.js";

// `npm run test:bench`: the smoke runs of every benchmark, kept out of the
// default suite (they took about half its time).
export default defineConfig({
  test: {
    ...suite.test,
    include: [`${benchTests}/*.test.ts`],
    exclude: [],
  },
});
