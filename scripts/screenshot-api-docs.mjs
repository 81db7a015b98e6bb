// Screenshots of the example API reference page (`npm run docs:screenshot`), in the light and the dark
// colour scheme, with headless Chromium: docs/images/api-reference.png and api-reference-dark.png.
// Not part of the test suite. Needs a Chromium (Debian: apt-get install chromium); CHROMIUM names
// another executable. Run `npm run docs:api-examples` first when the plugin changed.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const page = join(repoRoot, "docs/api-reference/stubwright/demo/v1/index.html");
const images = join(repoRoot, "docs/images");
const viewport = { width: 1280, height: 1000 };

const executablePath = process.env.CHROMIUM ?? execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
if (executablePath === "") {
  console.error("no Chromium found: apt-get install chromium, or set CHROMIUM to its executable");
  process.exit(1);
}

mkdirSync(images, { recursive: true });
// --no-sandbox: Chromium refuses to sandbox itself when run as root, as in containers.
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  for (const [colorScheme, name] of [
    ["light", "api-reference.png"],
    ["dark", "api-reference-dark.png"],
  ]) {
    const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
    const tab = await context.newPage();
    await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
    await tab.screenshot({ path: join(images, name) });
    await context.close();
    console.log(`wrote docs/images/${name}`);
  }
} finally {
  await browser.close();
}
