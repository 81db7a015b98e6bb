// Paired rounds with a process per mode: each mode's batches run and are
// timed in a child process of its own, so no mode shares compiled code, heap
// or async hooks with another. Used by `bench:over-grpc-js --isolated` and
// `bench:codec-ceiling`.
import { fork } from "node:child_process";
import { once } from "node:events";
import { measure, runPairedRounds } from "./paired-rounds.mjs";

/**
 * Rounds a set of child processes runs before fresh ones replace it: one
 * process can run a few per cent faster or slower than an identical one for
 * its whole life (its memory layout, its JIT's choices), which more rounds in
 * the same processes would never average out. A multiple of four keeps the
 * Williams order balanced.
 */
export const roundsPerProcess = 8;

/**
 * Untimed batches each fresh process runs first. With one, the stack with
 * more JavaScript of its own was still being optimized in the first timed
 * rounds: Stubwright's streaming came out 6 % dearer than grpc-js's on Node
 * 24, while the two cost the same (9.31 and 9.29 µs CPU per message) over 60
 * batches in a process warmed by 5.
 */
const warmUpsPerProcess = 4;

/**
 * Runs `rounds` paired rounds of `scenario`, each mode in a child process:
 * `modes` maps a mode's name to the arguments `child` (a module that calls
 * {@link serveBatches}) is forked with. Returns every mode's figures, round by
 * round, as {@link runPairedRounds} does.
 */
export async function runIsolatedRounds(child, modes, rounds, scenario) {
  const modeNames = Object.keys(modes);
  const taken = Object.fromEntries(modeNames.map((mode) => [mode, []]));
  for (let done = 0; done < rounds; done += roundsPerProcess) {
    const children = {};
    try {
      for (const mode of modeNames) {
        children[mode] = fork(child, modes[mode]);
        await once(children[mode], "message"); // ready
      }
      const batch = (mode) => ask(children[mode], { scenario });
      const part = await runPairedRounds(modeNames, Math.min(roundsPerProcess, rounds - done), batch, warmUpsPerProcess);
      for (const mode of modeNames) {
        taken[mode].push(...part[mode]);
      }
    } finally {
      await Promise.all(Object.values(children).map(stop));
    }
  }
  return taken;
}

/**
 * The child's side: answers each batch request with `measure(() =>
 * runBatch(scenario))` (this process's wall and CPU seconds) and calls
 * `stopAll()` before exiting when asked to stop.
 */
export function serveBatches(runBatch, stopAll) {
  // The parent gone (finished or failed), nothing is left to answer.
  process.on("disconnect", () => process.exit(0));
  process.on("message", async ({ scenario, stop }) => {
    if (stop) {
      await stopAll();
      process.exit(0);
    }
    try {
      process.send(await measure(() => runBatch(scenario)));
    } catch (error) {
      process.send({ error: String(error?.stack ?? error) });
    }
  });
  process.send({ ready: true });
}

/** Sends `message` to a child and resolves with its answer (rejects with its error, or if it dies first). */
function ask(child, message) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`a benchmark process exited (code ${code}) before answering`));
    child.once("exit", onExit);
    child.once("message", (answer) => {
      child.off("exit", onExit);
      if (answer.error === undefined) {
        resolve(answer);
      } else {
        reject(new Error(answer.error));
      }
    });
    child.send(message);
  });
}

/** Asks a child to stop and waits for it to exit (at once if it already has). */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, "exit");
  child.send({ stop: true });
  await exited;
}
