import { spawn } from "node:child_process";
import { dirname, delimiter } from "node:path";
import { CliError } from "./cli-error.js";
import type { Tools } from "./tools.js";

/**
 * Runs buf with the given arguments. buf's own output passes through; on
 * failure its first diagnostic (e.g. `protos/a.proto:3:7:syntax error: ...`)
 * becomes the CliError message. The plugins' directories go first on PATH so
 * `local: protoc-gen-es` entries in buf.gen.yaml find the installed ones.
 */
export function runBuf(tools: Tools, args: readonly string[], cwd: string): Promise<void> {
  const path = [dirname(tools.protocGenEs), dirname(tools.protocGenStubwright), process.env.PATH ?? ""].join(delimiter);
  return new Promise((resolve, reject) => {
    const child = spawn(tools.buf, args, { cwd, env: { ...process.env, PATH: path }, stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", (error) => reject(new CliError(`could not start buf: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) {
        process.stderr.write(stderr);
        resolve();
        return;
      }
      // buf prefixes some messages with "Failure: ", which says nothing here.
      const first = (stderr.split("\n").find((line) => line.trim() !== "") ?? `buf exited with code ${String(code)}`).replace(/^Failure: /, "");
      const rest = stderr.trim().split("\n").length - 1;
      reject(new CliError(rest > 0 ? `${first.trim()} (and ${rest} more line(s) from buf)` : first.trim()));
    });
  });
}
