import { closeClient } from "@stubwright/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { createInventoryServiceClient } from "../golden/ts/stubwright/demo/v1/inventory_grpc.js";
import { repoRoot } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { startProgram, type ScriptProcess } from "../support/script-process.js";

allowTimeForPrograms();

/**
 * The README and the guides tell users to run `npm run demo:serve` (and
 * `npm run demo -- --serve ADDRESS`) for a demo server that stays up. npm
 * hands arguments after `--` to the last command of a script only if that
 * command passes them on, so this runs the real script chain end to end.
 */
describe("npm run demo:serve", () => {
  let running: ScriptProcess | undefined;
  afterEach(() => {
    // The whole process group: npm, the shells of its scripts and the demo.
    if (running?.child.pid !== undefined && running.child.exitCode === null) {
      process.kill(-running.child.pid, "SIGKILL");
    }
  });

  it("serves the inventory service over gRPC and REST until SIGTERM, at the addresses given after --", async () => {
    // A free port for REST instead of the script's 8080, which may be taken here.
    running = startProgram("npm", ["run", "demo:serve", "--", "127.0.0.1:0", "--rest", "127.0.0.1:0"], { cwd: repoRoot, detached: true });
    const [, port] = await running.line(/inventory server listening on port (\d+);/, 240_000);
    const [, restPort] = await running.line(/REST listening on port (\d+);/, 60_000);
    const client = createInventoryServiceClient(`127.0.0.1:${port}`, { defaultTimeoutMs: 30_000 });
    try {
      const item = await client.getItem({ sku: "HAM-001" });
      expect(item.sku).toBe("HAM-001");
    } finally {
      closeClient(client);
    }
    // The README's curl call: the same handler, from the google.api.http annotation.
    const response = await fetch(`http://127.0.0.1:${restPort}/v1/items/HAM-001`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sku: "HAM-001", name: "Claw hammer", category: "CATEGORY_TOOLS" });
    process.kill(-running.child.pid!, "SIGTERM");
    await running.line(/^server stopped$/, 60_000);
  });
});
