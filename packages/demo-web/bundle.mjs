import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

/** The repository's gen/, where `stubwright generate` writes the demo's code. */
const defaultGeneratedDir = join(here, "..", "..", "gen");

/**
 * Bundles the page's script (src/app.ts) for browsers: esbuild with
 * `platform: "browser"`, so packages resolve through their `browser`
 * condition. Imports of gen/ resolve in `generatedDir` (default: the
 * repository's gen/), so a test can bundle the committed goldens instead.
 *
 * @param {{ generatedDir?: string, minify?: boolean }} [options]
 * @returns {Promise<{ code: string, metafile: import("esbuild").Metafile }>}
 */
export async function bundleDemoWeb(options = {}) {
  const generatedDir = resolve(options.generatedDir ?? defaultGeneratedDir);
  const sources = join(here, "src");
  const result = await build({
    entryPoints: [join(here, "src", "app.ts")],
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    minify: options.minify ?? false,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        name: "generated-code",
        setup(pluginBuild) {
          // The generated files are TypeScript imported with .js extensions, as Node's ESM resolution wants.
          pluginBuild.onResolve({ filter: /^\.\.\/\.\.\/\.\.\/gen\// }, (args) =>
            args.importer.startsWith(sources) ? { path: join(generatedDir, args.path.slice("../../../gen/".length).replace(/\.js$/, ".ts")) } : undefined,
          );
        },
      },
    ],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error("esbuild wrote no output");
  return { code: output.text, metafile: result.metafile };
}

/**
 * The page's files, ready to serve: index.html and the bundled app.js.
 *
 * @param {{ generatedDir?: string, minify?: boolean }} [options]
 * @returns {Promise<Map<string, { contentType: string, body: string }>>}
 */
export async function demoWebFiles(options = {}) {
  const { code } = await bundleDemoWeb(options);
  const html = readFileSync(join(here, "index.html"), "utf8");
  return new Map([
    ["/", { contentType: "text/html; charset=utf-8", body: html }],
    ["/index.html", { contentType: "text/html; charset=utf-8", body: html }],
    ["/app.js", { contentType: "text/javascript; charset=utf-8", body: code }],
  ]);
}
