// tsc type-checks src/gen/pbjs/bench.js through its .d.ts but does not emit
// it: copy the generated JavaScript next to the compiled code.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
mkdirSync(join(root, "dist/src/gen/pbjs"), { recursive: true });
copyFileSync(join(root, "src/gen/pbjs/bench.js"), join(root, "dist/src/gen/pbjs/bench.js"));
