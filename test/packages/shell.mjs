// Running commands for the consumer-project test: output captured, a failure reported with what it printed.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

/** Runs a command to completion and returns its exit status and output, without throwing. */
export function runStatus(command, args, cwd, env = process.env) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20, timeout: 600_000 });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

/** Runs a command to completion; throws with its output when it exits non-zero. Returns stdout. */
export function run(command, args, cwd, env = process.env) {
  const { status, stdout, output } = runStatus(command, args, cwd, env);
  if (status !== 0) throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${status}:\n${output}`);
  return stdout;
}

/**
 * Starts a long-running command in its own process group and resolves once its output matches `ready`, with
 * the match and a `stop()` that ends the group (SIGINT, then SIGKILL if it lingers). Rejects when the command
 * exits first or is not ready within `readyTimeoutMs`, a bound that only catches hangs.
 */
export function startUntil(command, args, { cwd, env, ready, readyTimeoutMs = 60_000 }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((resolve) => child.on("close", resolve));
  const stop = async () => {
    signalGroup(child, "SIGINT");
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${command} ${args.join(" ")} printed no ${ready} within ${readyTimeoutMs} ms:\n${output}`));
      void stop();
    }, readyTimeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ match, stop, output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")} exited ${code} before printing ${ready}:\n${output}`));
    });
  });
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has already exited.
  }
}

/** Parses a JSON file. */
export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Writes `value` as indented JSON. */
export function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
