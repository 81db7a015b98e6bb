import { compileRule, countOf, type Finding, formatFinding, parseFindings } from "./buf-findings.js";
import type { BufOutput } from "./run-buf.js";

/** What a lint or breaking run prints, and how it ends. */
export interface CheckResult {
  /** buf's exit code: 0 clean, 100 findings or errors in .proto files, 1 other failures. */
  readonly exitCode: number;
  /** The findings (or buf's own output with `--error-format` other than text), ending in a newline unless empty. */
  readonly stdout: string;
  /** A last line: on stdout when clean, on stderr otherwise; none for a clean run in buf's formats. */
  readonly summary: string | undefined;
}

/** How {@link createCheckReport} words a run. */
export interface CheckReportOptions {
  /** The buf command, as failure summaries name it: `buf lint`. */
  readonly command: string;
  /** One finding, as the count names it: `lint finding`. */
  readonly noun: string;
  /** What was checked, for the summaries: `(STANDARD rules)`. */
  readonly scope: string;
  /** True for our text format (buf ran with `--error-format json`); false passes buf's output through. */
  readonly text: boolean;
  /** A line that explains a finding, printed indented under it; undefined for none. */
  readonly explain?: (finding: Finding) => string | undefined;
}

/**
 * Turns buf's output into what the user sees. In text format every finding
 * becomes `file:line:column: RULE: message` (with its explanation, if any),
 * and anything else buf printed on stdout is kept as it is.
 */
export function createCheckReport(output: BufOutput, options: CheckReportOptions): CheckResult {
  const failed = `${options.command} failed with exit code ${output.exitCode}`;
  if (!options.text) {
    return { exitCode: output.exitCode, stdout: output.stdout, summary: output.exitCode === 0 ? undefined : failed };
  }
  const { findings, otherLines } = parseFindings(output.stdout);
  const lines = [...findings.flatMap((finding) => withExplanation(finding, options.explain)), ...otherLines];
  const stdout = lines.map((line) => `${line}\n`).join("");
  if (output.exitCode === 0) {
    return { exitCode: 0, stdout, summary: `no ${options.noun}s ${options.scope}` };
  }
  const errors = findings.filter((finding) => finding.rule === compileRule).length;
  // Errors in the .proto files stop buf before any rule runs: say so, instead of counting them as findings.
  if (errors > 0) {
    return { exitCode: output.exitCode, stdout, summary: `${countOf(errors, "error")} in .proto files: buf could not build them, so no rule ran` };
  }
  return { exitCode: output.exitCode, stdout, summary: findings.length > 0 ? `${countOf(findings.length, options.noun)} ${options.scope}` : failed };
}

function withExplanation(finding: Finding, explain: CheckReportOptions["explain"]): string[] {
  const explanation = explain?.(finding);
  return explanation === undefined ? [formatFinding(finding)] : [formatFinding(finding), `  ${explanation}`];
}
