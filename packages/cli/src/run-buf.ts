import { spawn } from "node:child_process";
import { constants } from "node:os";
import { delimiter, dirname } from "node:path";
import { CliError } from "./cli-error.js";
import type { Tools } from "./tools.js";

/**
 * Runs buf with the given arguments and resolves to its exit code. buf's
 * output passes through untouched, so every diagnostic shows as buf prints it
 * (`proto/a.proto:3:7:syntax error: ...`). The plugins' directories go first
 * on PATH so `local: protoc-gen-es` entries in buf.gen.yaml find the installed ones.
 */
export function runBuf(tools: Tools, args: readonly string[], cwd: string): Promise<number> {
  const path = [dirname(tools.protocGenEs), dirname(tools.protocGenStubwright), process.env.PATH ?? ""].join(delimiter);
  return new Promise((resolve, reject) => {
    const child = spawn(tools.buf, args, { cwd, env: { ...process.env, PATH: path }, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", (error) => reject(new CliError(`could not start buf: ${error.message}`)));
    child.on("close", (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
  });
}
