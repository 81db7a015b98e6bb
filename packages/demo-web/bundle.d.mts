import type { Metafile } from "esbuild";

/** Options of the page's bundle. */
export interface DemoWebBundleOptions {
  /** Where the generated code is (default: the repository's gen/). */
  readonly generatedDir?: string;
  readonly minify?: boolean;
}

/** Bundles the page's script (src/app.ts) for browsers with esbuild. */
export declare function bundleDemoWeb(options?: DemoWebBundleOptions): Promise<{ code: string; metafile: Metafile }>;

/** The page's files, ready to serve: index.html and the bundled app.js. */
export declare function demoWebFiles(options?: DemoWebBundleOptions): Promise<Map<string, { contentType: string; body: string }>>;
