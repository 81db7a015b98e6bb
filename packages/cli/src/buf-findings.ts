/** One problem buf reported: a lint or breaking finding, or an error building the .proto files (rule `COMPILE`). */
export interface Finding {
  readonly path: string;
  /** 1-based; absent when buf points at a whole file. */
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  /** buf's rule id, e.g. `FIELD_NO_DELETE`. */
  readonly rule: string;
  readonly message: string;
}

/** buf's `--error-format json` output, split into findings and any other lines, kept so that nothing is swallowed. */
export interface ParsedOutput {
  readonly findings: readonly Finding[];
  readonly otherLines: readonly string[];
}

/** The rule id buf gives errors that stop it from building the .proto files. */
export const compileRule = "COMPILE";

/**
 * Parses buf's `--error-format json` output: one JSON object per line, with
 * `path`, `start_line`, `start_column`, `type` (the rule) and `message`.
 */
export function parseFindings(stdout: string): ParsedOutput {
  const findings: Finding[] = [];
  const otherLines: string[] = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") {
      continue;
    }
    const finding = toFinding(line);
    if (finding === undefined) {
      otherLines.push(line);
    } else {
      findings.push(finding);
    }
  }
  return { findings, otherLines };
}

function toFinding(line: string): Finding | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.type !== "string" || typeof record.message !== "string") {
    return undefined;
  }
  return {
    path: typeof record.path === "string" ? record.path : "",
    line: positive(record.start_line),
    column: positive(record.start_column),
    rule: record.type,
    message: record.message,
  };
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && value > 0 ? value : undefined;
}

/**
 * `file:line:column: RULE: message`, the form editors and CI annotate from;
 * the position shrinks to what buf gave (`file: RULE: message` for a whole file).
 */
export function formatFinding(finding: Finding): string {
  const position = [finding.path, finding.line, finding.line === undefined ? undefined : finding.column].filter((part) => part !== undefined && part !== "");
  const prefix = position.length === 0 ? "" : `${position.join(":")}: `;
  return `${prefix}${finding.rule}: ${finding.message}`;
}

/** How many findings, e.g. `1 lint finding` or `3 lint findings`. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
