import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/** Where Debian and Ubuntu install Chromium (`.ci/run` installs Debian's package). */
const systemChromiums = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/**
 * The Chromium executable for browser tests: `$STUBWRIGHT_CHROMIUM` if set,
 * else the system's Chromium, else undefined. Browsers are never downloaded:
 * the tests drive the one the system has.
 *
 * @returns {string | undefined}
 */
export function findChromium() {
  const configured = process.env.STUBWRIGHT_CHROMIUM;
  if (configured !== undefined && configured !== "") {
    return configured;
  }
  return systemChromiums.find((path) => existsSync(path));
}

/**
 * Launches headless Chromium from `executablePath`; as root, Chromium
 * refuses to start with its sandbox on.
 *
 * @param {string} executablePath
 */
export function launchChromium(executablePath) {
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({ executablePath, headless: true, args: asRoot ? ["--no-sandbox"] : [] });
}
