import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** A Node.js script running as a child process, talking in lines on stdout and stdin. */
export interface ScriptProcess {
  readonly child: ChildProcess;
  /** Resolves with the first stdout line (seen so far or later) matching `pattern`; rejects if the process exits first or after `boundMs`. */
  line(pattern: RegExp, boundMs?: number): Promise<RegExpMatchArray>;
  /** Writes one line to the process's stdin. */
  send(line: string): void;
  /** Resolves with the exit code (or signal) once the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** SIGKILLs the process if it still runs. */
  kill(): void;
}

/** Starts `node script ...args`. */
export function startScript(script: string, args: readonly string[] = []): ScriptProcess {
  return startProgram(process.execPath, [script, ...args]);
}

/**
 * Starts any program, e.g. `npm run ...`. With `detached`, it leads a process
 * group of its own, so the caller can signal it with everything it started.
 */
export function startProgram(
  command: string,
  args: readonly string[],
  options: { cwd?: string; detached?: boolean; env?: NodeJS.ProcessEnv } = {},
): ScriptProcess {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], ...options });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    child,
    exited,
    line(pattern, boundMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          for (const line of lines) {
            const match = pattern.exec(line);
            if (match !== null) {
              done();
              resolve(match);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no line matching ${pattern} within ${boundMs} ms; stderr: ${stderr}`));
        }, boundMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        void exited.then(({ code, signal }) => {
          check();
          done();
          reject(new Error(`the process exited (${code ?? signal}) before printing ${pattern}; stderr: ${stderr}`));
        });
        waiters.add(check);
        check();
      });
    },
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
      }
    },
  };
}
