import { rmSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../support/generate-code.mjs";
import { examplesDir, generateExamples } from "./generate-docs.mjs";

// Regenerates docs/api-reference/ from the current plugin build: `npm run docs:api-examples`.
const out = join(repoRoot, examplesDir);
rmSync(out, { recursive: true, force: true });
generateExamples(out);
console.log(`API reference examples written to ${out}`);
