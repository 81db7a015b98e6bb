import { spawn, type ChildProcess } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { programTimeoutMs } from "./program-timeouts.js";

const binDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../packages/interop/bin");
const children = new Set<ChildProcess>();

/** How a child process ended. */
export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running server child process (such as `stubwright-interop-server`). */
export interface ServerProcess {
  readonly port: number;
  /** Sends SIGTERM and waits for the exit (SIGKILL after `boundMs`). */
  stop(boundMs?: number): Promise<ProcessResult>;
}

/** Starts the server binary with `--port=0` and `args`; resolves once it printed its port. */
export function startServerProcess(args: readonly string[]): Promise<ServerProcess> {
  return startNodeServer(resolve(binDir, "stubwright-interop-server.js"), ["--port=0", ...args], "interop server");
}

/**
 * Starts `node script ...args`, a server that prints "listening on port N"
 * once it listens; resolves then. `name` names it in errors.
 */
export function startNodeServer(script: string, args: readonly string[], name: string): Promise<ServerProcess> {
  const child = track(spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] }));
  const ended = outcome(child);
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not report its port within ${programTimeoutMs} ms`));
    }, programTimeoutMs);
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on port (\d+)/.exec(seen);
      if (match !== null) {
        clearTimeout(timer);
        resolvePort({
          port: Number(match[1]),
          stop(boundMs = 5000) {
            const killer = setTimeout(() => child.kill("SIGKILL"), boundMs);
            child.kill("SIGTERM");
            return ended.finally(() => clearTimeout(killer));
          },
        });
      }
    });
    void ended.then((result) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited early (${result.code}): ${result.stderr}`));
    });
  });
}

/** Runs the client binary with `args`; SIGKILLs it after `boundMs`. */
export function runClientProcess(args: readonly string[], boundMs = programTimeoutMs): Promise<ProcessResult> {
  const child = track(spawn(process.execPath, [resolve(binDir, "stubwright-interop-client.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] }));
  const killer = setTimeout(() => child.kill("SIGKILL"), boundMs);
  return outcome(child).finally(() => clearTimeout(killer));
}

/** SIGKILLs every child process still running. */
export function killAllChildren(): void {
  for (const child of children) {
    child.kill("SIGKILL");
  }
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function outcome(child: ChildProcess): Promise<ProcessResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveResult, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolveResult({ code, signal, stdout, stderr }));
  });
}
