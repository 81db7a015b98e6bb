import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundleDemoWeb } from "../../packages/demo-web/bundle.mjs";
import { repoRoot } from "../support/generate-code.mjs";

describe("the demo page's browser bundle", () => {
  it("holds the generated client and the fetch transports, no grpc-js and no Node built-in, and reports its size", async () => {
    const { code, metafile } = await bundleDemoWeb({ generatedDir: join(repoRoot, "test", "golden", "ts"), minify: true });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain(join("test", "golden", "ts", "stubwright", "demo", "v1", "inventory_grpc.ts"));
    expect(inputs.some((input) => input.endsWith(join("runtime", "dist", "web.js")))).toBe(true);
    expect(inputs.filter((input) => input.includes("grpc-js") || input.startsWith("node:"))).toEqual([]);
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((imported) => imported.path));
    expect(imports.filter((path) => path.startsWith("node:") || path.includes("grpc-js"))).toEqual([]);
    const kib = (bytes: number): string => (bytes / 1024).toFixed(1);
    console.log(`browser bundle: ${kib(Buffer.byteLength(code))} KiB minified, ${kib(gzipSync(code).byteLength)} KiB gzip`);
  });
});
