import { bufConfigArg, describeRules, readBufProject } from "./buf-project.js";
import { type CheckResult, createCheckReport } from "./check-report.js";
import { checkPath } from "./proto-paths.js";
import { runBufCollecting } from "./run-buf.js";
import { resolveTools } from "./tools.js";

/** Options of `stubwright lint`, as commander parses them. */
export interface LintOptions {
  /** Without a buf.yaml: the directory of the .proto files. */
  readonly root?: string | undefined;
  /** `text` (ours), or one of buf's formats, passed through: `json`, `github-actions`... */
  readonly errorFormat: string;
}

/**
 * `stubwright lint [paths...]`: `buf lint` with the project's buf.yaml, or
 * buf's STANDARD rules when it has no buf.yaml or no `lint` section there.
 * Paths limit the run to those files or directories (buf's `--path`).
 */
export async function lintCommand(paths: readonly string[], options: LintOptions, cwd: string): Promise<CheckResult> {
  for (const path of paths) {
    checkPath(cwd, path);
  }
  const project = readBufProject(cwd, options.root);
  const config = bufConfigArg(project, "lint");
  const text = options.errorFormat === "text";
  const args = [
    "lint",
    ...(config === undefined ? [] : ["--config", config]),
    ...paths.flatMap((path) => ["--path", path]),
    "--error-format",
    text ? "json" : options.errorFormat,
  ];
  const output = await runBufCollecting(resolveTools(), args, cwd, "linting");
  return createCheckReport(output, {
    command: "buf lint",
    noun: "lint finding",
    scope: `(${describeRules(project, "lint")})`,
    text,
  });
}
