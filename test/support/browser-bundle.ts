import { build, type Metafile } from "esbuild";
import { repoRoot } from "./generate-code.mjs";

/** Bundles `source` (an ES module importing packages of the workspace) for browsers, minified. */
export async function bundleForBrowsers(source: string, format: "esm" | "iife" = "esm"): Promise<{ metafile: Metafile; code: string }> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: "ts", sourcefile: "browser-entry.ts" },
    bundle: true,
    platform: "browser",
    format,
    globalName: "bundled",
    minify: true,
    metafile: true,
    write: false,
    // Kept out rather than failing the build, so the test names the files that import them.
    external: ["@grpc/grpc-js", "node:*"],
    logLevel: "silent",
  });
  return { metafile: result.metafile, code: result.outputFiles.map((file) => file.text).join("") };
}

/** Every module of the bundle that comes from grpc-js, and every import of a Node built-in, with the file that imports it. */
export function nodeOnlyInputs(metafile: Metafile): string[] {
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
