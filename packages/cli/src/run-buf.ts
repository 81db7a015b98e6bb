import { spawn } from "node:child_process";
import { constants } from "node:os";
import { delimiter, dirname } from "node:path";
import { CliError } from "./cli-error.js";
import { createProgressReporter, progressIntervalMs } from "./progress.js";
import type { Tools } from "./tools.js";

/**
 * Runs buf with the given arguments and resolves to its exit code. buf's
 * output passes through untouched, so every diagnostic shows as buf prints it
 * (`proto/a.proto:3:7:syntax error: ...`). The plugins' directories go first
 * on PATH so `local: protoc-gen-es` entries in buf.gen.yaml find the installed ones.
 */
export async function runBuf(tools: Tools, args: readonly string[], cwd: string): Promise<number> {
  return (await spawnBuf(tools, args, cwd, "inherit")).exitCode;
}

/** What a buf run printed on stdout, and how it ended. */
export interface BufOutput {
  readonly exitCode: number;
  readonly stdout: string;
}

/**
 * Runs buf and collects its stdout (findings, for the caller to reformat);
 * stderr, where buf explains failures such as a bad ref or config, passes
 * through as buf prints it. Prints progress lines while it lasts, as generate does.
 */
export async function runBufCollecting(tools: Tools, args: readonly string[], cwd: string, activity: string): Promise<BufOutput> {
  const progress = createProgressReporter({ intervalMs: progressIntervalMs(), activity, write: (line) => process.stderr.write(line) });
  try {
    return await spawnBuf(tools, args, cwd, "pipe");
  } finally {
    progress.stop();
  }
}

function spawnBuf(tools: Tools, args: readonly string[], cwd: string, stdout: "inherit" | "pipe"): Promise<BufOutput> {
  const path = [dirname(tools.protocGenEs), dirname(tools.protocGenStubwright), process.env.PATH ?? ""].join(delimiter);
  return new Promise((resolve, reject) => {
    const child = spawn(tools.buf, args, { cwd, env: { ...process.env, PATH: path }, stdio: ["ignore", stdout, "inherit"] });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (error) => reject(new CliError(`could not start buf: ${error.message}`)));
    child.on("close", (code, signal) =>
      resolve({ exitCode: code ?? 128 + (signal === null ? 0 : constants.signals[signal]), stdout: Buffer.concat(chunks).toString("utf8") }),
    );
  });
}
