import { resolve } from "node:path";
import { readBufProject } from "./buf-project.js";
import { CliError } from "./cli-error.js";
import { type RunSummary, runAndSummarize } from "./run-summary.js";
import { resolveTools } from "./tools.js";

/** Options of `stubwright docs`, as commander parses them. */
export interface DocsOptions {
  /** Output directory of the pages. */
  readonly out: string;
  /** `md`, `html` or `both`. */
  readonly format: string;
  /** Without a buf.yaml: the directory of the .proto files. */
  readonly root?: string | undefined;
}

/** `--format` values and the plugin's `format` option for each. */
const formats: Readonly<Record<string, string>> = { md: "markdown", html: "html", both: "both" };

/**
 * `stubwright docs`: an API reference per proto package, written by
 * protoc-gen-stubwright-docs through `buf generate` with a template we build,
 * as `generate` does without a buf.gen.yaml. The input is the project's
 * buf.yaml workspace, or the `--root` directory. `strategy: all` shows the
 * plugin every file at once, so pages link across packages.
 */
export async function docsCommand(options: DocsOptions, cwd: string): Promise<RunSummary> {
  const format = formats[options.format];
  if (format === undefined) {
    throw new CliError(`--format must be md, html or both, got "${options.format}"`);
  }
  const project = readBufProject(cwd, options.root);
  const tools = resolveTools();
  const template = {
    version: "v2",
    plugins: [{ local: tools.protocGenStubwrightDocs, out: options.out, opt: [`format=${format}`], strategy: "all" }],
  };
  const args = ["generate", project.root, "--template", JSON.stringify(template)];
  return runAndSummarize(tools, args, cwd, { watched: resolve(cwd, options.out), activity: "writing docs", command: "buf generate" });
}
