import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";

/** Bundles `source` (an ES module importing packages of the workspace) for browsers, minified. */
async function bundleForBrowsers(source: string): Promise<{ metafile: Metafile; bytes: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: "ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    metafile: true,
    write: false,
    // Kept out rather than failing the build, so the test names the files that import them.
    external: ["@grpc/grpc-js", "node:*"],
    logLevel: "silent",
  });
  return { metafile: result.metafile, bytes: result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0) };
}

/** Every module of the bundle that comes from grpc-js, and every import of a Node built-in, with the file that imports it. */
function nodeOnlyInputs(metafile: Metafile): string[] {
  const found: string[] = [];
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (path.includes("@grpc/grpc-js")) {
      found.push(path);
    }
    for (const imported of input.imports) {
      if (imported.external === true) {
        found.push(`${path} imports ${imported.path}`);
      }
    }
  }
  return found;
}

describe("the fetch transports bundled for browsers", () => {
  it("need neither grpc-js nor a Node built-in", async () => {
    const { metafile, bytes } = await bundleForBrowsers('export { createConnectTransport, createGrpcWebTransport } from "@stubwright/runtime/web";');
    expect(nodeOnlyInputs(metafile)).toEqual([]);
    expect(Object.keys(metafile.inputs).some((path) => path.includes("transports/connect/"))).toBe(true);
    expect(bytes).toBeGreaterThan(0);
  });
});
