import { spawn } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { within } from "./bounded.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");
const memoryProbe = join(here, "memory-probe.cjs");

/** The server programs the suite runs, each as users would start it. */
export const serverPrograms = {
  /** The instrumented fixture EchoService (echo-server-child.mjs). */
  echo: (address = "127.0.0.1:0") => [join(here, "echo-server-child.mjs"), address],
  /** The inventory demo's serving mode (`npm start -w @stubwright/demo -- --serve ADDRESS`); run.mjs builds it. */
  demo: () => [join(repoRoot, "packages/demo/dist/packages/demo/src/main.js"), "--serve", "127.0.0.1:0"],
  /** `stubwright-interop-server` (grpc.testing.TestService), plaintext. */
  interop: () => [join(repoRoot, "packages/interop/bin/stubwright-interop-server.js"), "--port=0"],
} as const;

/** Server memory after two forced GCs. */
export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
}

/** How a child process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The end of its stderr, for diagnosis. */
  readonly stderr: string;
}

/** A server running in a child process, with an IPC channel to it. */
export interface ServerChild {
  readonly port: number;
  readonly pid: number;
  /** Messages the child sends over IPC (besides the memory answers). */
  readonly messages: EventEmitter;
  /** Settles when the process exits, for whatever reason. */
  readonly exited: Promise<ChildExit>;
  /** Whether the process is still running. */
  isRunning(): boolean;
  /** Sends a message over IPC. */
  send(message: object): void;
  /** RSS and heap after two forced GCs. */
  memory(): Promise<MemorySample>;
  /** SIGKILLs the process and waits until it is gone. */
  kill(): Promise<ChildExit>;
  /** Sends SIGTERM and waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<ChildExit>;
}

/** Every child pid started in this process, for the leftover-process check. */
export const startedPids: number[] = [];

/**
 * Starts `node <program...>` with the memory probe preloaded and an IPC
 * channel; resolves once it printed `listening on port N`.
 */
export async function startServerChild(program: readonly string[]): Promise<ServerChild> {
  const child = spawn(process.execPath, ["--expose-gc", "--require", memoryProbe, ...program], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  startedPids.push(child.pid!);
  let stderr = "";
  let stdout = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8192)));
  child.stdout!.on("data", (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-8192)));
  const exited = new Promise<ChildExit>((resolveExit) =>
    child.once("exit", (code, signal) => {
      // stderr may still be draining: wait for the pipes to close before reporting it.
      child.once("close", () => resolveExit({ code, signal, stderr }));
    }),
  );
  const messages = new EventEmitter();
  messages.setMaxListeners(0);
  child.on("message", (message: { type: string }) => messages.emit(message.type, message));
  const port = await within(
    new Promise<number>((resolvePort, reject) => {
      const look = (): void => {
        const match = /listening on port (\d+)/.exec(stdout);
        if (match !== null) {
          child.stdout!.off("data", look);
          resolvePort(Number(match[1]));
        }
      };
      child.stdout!.on("data", look);
      void exited.then((exit) => reject(new Error(`${program[0]} exited before listening (${exit.code ?? exit.signal}): ${exit.stderr}`)));
    }),
    30_000,
    `${program[0]} to start listening`,
  );
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    port,
    pid: child.pid!,
    messages,
    exited,
    isRunning: running,
    send(message) {
      child.send(message);
    },
    async memory() {
      const answer = once(messages, "memory") as Promise<[MemorySample]>;
      child.send({ type: "memory" });
      const [{ rss, heapUsed }] = await within(answer, 30_000, `the memory report of ${program[0]}`);
      return { rss, heapUsed };
    },
    kill() {
      if (running()) child.kill("SIGKILL");
      return exited;
    },
    stop() {
      if (!running()) return exited;
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.kill("SIGTERM");
      return exited.finally(() => clearTimeout(killer));
    },
  };
}
