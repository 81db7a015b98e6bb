import { createContext, runInContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { bundleForBrowsers } from "../support/browser-bundle.js";

// What a browser app bundles: a generated client (the demo's golden) and the
// root's values, resolved as a bundler resolves them for a browser.
const entry = `
import { createInventoryServiceClient } from "./test/golden/ts/stubwright/demo/v1/inventory_grpc.js";
import { Code, RpcError, createMetadata } from "@stubwright/runtime";
export { createInventoryServiceClient, Code, RpcError, createMetadata };
`;

describe("the runtime in a browser bundle", () => {
  it("runs without Node's globals and asks for a transport instead of an address", async () => {
    const { code } = await bundleForBrowsers(entry, "iife");
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
