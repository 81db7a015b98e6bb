import { rmSync } from "node:fs";
import { join } from "node:path";
import { generateGoldens, repoRoot } from "./generate-code.mjs";

// Regenerates test/golden/ from the current plugin build: `npm run goldens`.
const goldenRoot = join(repoRoot, "test/golden");
rmSync(goldenRoot, { recursive: true, force: true });
generateGoldens(goldenRoot);
console.log(`goldens written to ${goldenRoot}`);
