import { createProgressReporter, progressIntervalMs } from "./progress.js";
import { runBuf } from "./run-buf.js";
import type { Tools } from "./tools.js";
import { countWritten, snapshotFiles } from "./written-files.js";

/** What a run that writes files printed last and how it ended. */
export interface RunSummary {
  /** buf's exit code. */
  readonly exitCode: number;
  /** The summary line (success) or what failed. */
  readonly summary: string;
}

/** How {@link runAndSummarize} watches and names a run. */
export interface SummaryOptions {
  /** The directory whose new and changed files are counted. */
  readonly watched: string;
  /** For progress lines: `generating`. */
  readonly activity: string;
  /** For the failure line: `buf generate`. */
  readonly command: string;
}

/**
 * Runs buf (its output passing through), with progress lines on long runs,
 * and summarizes: `N files written in X s`, counting what changed on disk
 * under the watched directory, or what failed.
 */
export async function runAndSummarize(tools: Tools, args: readonly string[], cwd: string, options: SummaryOptions): Promise<RunSummary> {
  const startMs = Date.now();
  const before = snapshotFiles(options.watched);
  const progress = createProgressReporter({
    intervalMs: progressIntervalMs(),
    activity: options.activity,
    write: (line) => process.stderr.write(line),
  });
  let exitCode: number;
  try {
    exitCode = await runBuf(tools, args, cwd);
  } finally {
    progress.stop();
  }
  if (exitCode !== 0) {
    return { exitCode, summary: `${options.command} failed with exit code ${exitCode}` };
  }
  const written = countWritten(before, snapshotFiles(options.watched));
  const seconds = ((Date.now() - startMs) / 1000).toFixed(1);
  const upToDate = written === 0 ? " (the generated code was up to date)" : "";
  return { exitCode, summary: `${written} ${written === 1 ? "file" : "files"} written in ${seconds} s${upToDate}` };
}
