import { resolveAgainst } from "./against-input.js";
import { bufConfigArg, describeRules, readBufProject } from "./buf-project.js";
import { explainBreaking } from "./breaking-rules.js";
import { type CheckResult, createCheckReport } from "./check-report.js";
import { CliError } from "./cli-error.js";
import { runBufCollecting } from "./run-buf.js";
import { resolveTools } from "./tools.js";

/** Options of `stubwright breaking`, as commander parses them. */
export interface BreakingOptions {
  /** A git ref, a directory, an image file, or a buf input with `#`. */
  readonly against: string;
  /** `wire`, `wire-json`, `file` or `package`; undefined for buf.yaml's rules, or FILE. */
  readonly level?: string | undefined;
  /** Without a buf.yaml: the directory of the .proto files. */
  readonly root?: string | undefined;
  /** `text` (ours, with explanations), or one of buf's formats, passed through. */
  readonly errorFormat: string;
}

/** `--level` values and the buf breaking category each one uses. */
const levels: Readonly<Record<string, string>> = {
  wire: "WIRE",
  "wire-json": "WIRE_JSON",
  file: "FILE",
  package: "PACKAGE",
};

/**
 * `stubwright breaking --against <ref|dir|image>`: `buf breaking` on the
 * project's .proto files as they are now against the old ones. The rules are
 * `--level`'s category, else buf.yaml's `breaking` section, else FILE (buf's
 * default). Each finding gets a line on what it breaks for old clients.
 */
export async function breakingCommand(options: BreakingOptions, cwd: string): Promise<CheckResult> {
  const use = options.level === undefined ? undefined : levels[options.level];
  if (options.level !== undefined && use === undefined) {
    throw new CliError(`--level must be wire, wire-json, file or package, got "${options.level}"`);
  }
  const project = readBufProject(cwd, options.root);
  const config = bufConfigArg(project, "breaking", use);
  const against = resolveAgainst(options.against, cwd, project, config);
  const text = options.errorFormat === "text";
  const args = ["breaking", ...(config === undefined ? [] : ["--config", config]), ...against.args, "--error-format", text ? "json" : options.errorFormat];
  const output = await runBufCollecting(resolveTools(), args, cwd, "checking for breaking changes");
  const rules = describeRules(project, "breaking", use);
  return createCheckReport(output, {
    command: "buf breaking",
    noun: "breaking change",
    scope: `against ${against.description} (${rules})`,
    text,
    explain: (finding) => explainBreaking(finding.rule),
  });
}
