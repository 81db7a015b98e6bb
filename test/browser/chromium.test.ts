import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { demoWebFiles } from "../../packages/demo-web/bundle.mjs";
import { startStaticServer, type StaticServer } from "../../packages/demo-web/static-server.mjs";
import { type ChromiumBrowser, findChromium, launchChromium } from "../support/chromium.mjs";
import { type DemoWebServer, startConnectNodeDemoServer, startStubwrightDemoServer } from "../support/demo-web-servers.js";
import { repoRoot } from "../support/generate-code.mjs";
import { join } from "node:path";

const executablePath = findChromium();
const inCi = (process.env.CI ?? "") !== "" && process.env.CI !== "false";
const missing = "no Chromium found: install Debian's chromium package, or set STUBWRIGHT_CHROMIUM to a Chromium executable";

const servers = ["stubwright", "connect-node"] as const;
const protocols = ["connect", "grpc-web"] as const;

describe("the demo page in headless Chromium", () => {
  if (executablePath === undefined) {
    // In CI a missing browser is a failure (.ci/run installs one); elsewhere the test is skipped, saying why.
    (inCi ? it : it.skip)(missing, () => {
      throw new Error(missing);
    });
    return;
  }
  let browser: ChromiumBrowser | undefined;
  let page: StaticServer | undefined;
  const apis = new Map<(typeof servers)[number], DemoWebServer>();

  beforeAll(async () => {
    // The committed goldens are what `stubwright generate` writes to gen/ (the golden tests check that).
    page = await startStaticServer(await demoWebFiles({ generatedDir: join(repoRoot, "test", "golden", "ts") }));
    // The page's origin differs from the APIs' (another port): every call is cross-origin, so CORS must allow it.
    apis.set("stubwright", await startStubwrightDemoServer(page.url));
    apis.set("connect-node", await startConnectNodeDemoServer(page.url));
    browser = await launchChromium(executablePath);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...apis.values()].map((api) => api.close()));
    await page?.close();
  });

  it.each(servers.flatMap((server) => protocols.map((protocol) => ({ server, protocol }))))(
    "$protocol against the $server server: unary, server streaming, an error with details, a deadline, cancellation",
    async ({ server, protocol }) => {
      const api = apis.get(server);
      if (browser === undefined || page === undefined || api === undefined) throw new Error("not started");
      const tab = await browser.newPage();
      const pageErrors: string[] = [];
      tab.on("pageerror", (error) => pageErrors.push(String(error)));
      try {
        await tab.goto(`${page.url}/?protocol=${protocol}&api=${encodeURIComponent(api.baseUrl)}`);
        await tab.waitForFunction(() => (globalThis as { demoResults?: { done: boolean } }).demoResults?.done === true, undefined, { timeout: 45_000 });
        const results = await tab.evaluate(() => (globalThis as { demoResults?: unknown }).demoResults);
        expect(pageErrors).toEqual([]);
        expect(results).toEqual({
          protocol,
          unary: { name: "Claw hammer", inStock: 12 },
          serverStream: { updates: ["HAM-001=12", "HOS-020=0", "HAM-001=12"] },
          errorWithDetails: { code: "NOT_FOUND", message: "no item with SKU NOPE-404", resourceName: "NOPE-404" },
          deadline: { code: "DEADLINE_EXCEEDED" },
          cancel: { code: "CANCELLED", updatesBefore: 1 },
          done: true,
        });
        expect(await tab.textContent("#results")).toContain('"DEADLINE_EXCEEDED"');
        // The handlers saw both calls end early: the deadline's, and the one the page cancelled.
        await vi.waitFor(() => expect([...api.abortedWatches].sort()).toEqual(expect.arrayContaining(["HAM-001", "HOS-020"])), { timeout: 30_000 });
      } finally {
        await tab.close();
      }
    },
  );
});
