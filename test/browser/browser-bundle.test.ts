import { join } from "node:path";
import { createContext, runInContext } from "node:vm";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";

// What a browser app bundles: a generated client (the demo's golden) and the
// root's values, resolved as a bundler resolves them for a browser.
const entry = `
import { createInventoryServiceClient } from "./test/golden/ts/stubwright/demo/v1/inventory_grpc.js";
import { Code, RpcError, createMetadata } from "@stubwright/runtime";
export { createInventoryServiceClient, Code, RpcError, createMetadata };
`;

async function bundleForBrowser(format: "esm" | "iife" = "esm"): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: repoRoot, loader: "ts", sourcefile: "browser-entry.ts" },
    bundle: true,
    platform: "browser",
    format,
    globalName: "bundled",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error("esbuild wrote no output");
  return { code: output.text, metafile: result.metafile };
}

describe("the runtime in a browser bundle", () => {
  it("bundles a generated client without grpc-js or any Node built-in", async () => {
    const { metafile } = await bundleForBrowser();
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.includes(join("packages", "runtime", "dist", "index-browser.js")))).toBe(true);
    expect(inputs.filter((input) => input.includes("@grpc/grpc-js") || input.startsWith("node:"))).toEqual([]);
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((imported) => imported.path));
    expect(imports.filter((path) => path.startsWith("node:") || path.includes("grpc-js"))).toEqual([]);
  });

  it("runs without Node's globals and asks for a transport instead of an address", async () => {
    const { code } = await bundleForBrowser("iife");
    // A fresh realm has no Buffer and no process, as a page has none; it gets the web APIs a page has.
    const page = createContext({ TextEncoder, TextDecoder, URL, AbortController, setTimeout, clearTimeout, queueMicrotask });
    runInContext(code, page);
    const outcome = runInContext(
      `(() => {
        const { createInventoryServiceClient, Code, RpcError, createMetadata } = bundled;
        let addressError = "";
        try { createInventoryServiceClient("127.0.0.1:50051"); } catch (error) { addressError = String(error); }
        const metadata = createMetadata({ "x-id": "1", "x-raw-bin": new Uint8Array([1, 2]) });
        let keyError = "";
        try { createMetadata({ "Bad Key": "x" }); } catch (error) { keyError = String(error); }
        return {
          addressError,
          code: new RpcError(Code.NOT_FOUND, "gone").code,
          binary: Array.from(metadata.get("x-raw-bin")[0]),
          keyError,
          hasBuffer: typeof Buffer !== "undefined",
        };
      })()`,
      page,
    ) as { addressError: string; code: number; binary: number[]; keyError: string; hasBuffer: boolean };
    expect(outcome.hasBuffer).toBe(false);
    expect(outcome.addressError).toMatch(/a client needs a transport/);
    expect(outcome.code).toBe(5);
    expect(outcome.binary).toEqual([1, 2]);
    expect(outcome.keyError).toMatch(/illegal characters/);
  });
});
