// What Stubwright's runtime costs over raw grpc-js end to end: the same calls,
// over 127.0.0.1, the same codec (Stubwright's, through the same method
// definitions), made and served once by Stubwright and once by grpc-js alone
// (see over-grpc-js-stacks.mjs). Prints figures; asserts nothing.
//
//   npm run bench:over-grpc-js                  (builds first; ~8 min)
//   node packages/runtime/bench/over-grpc-js.bench.mjs [rounds] [--isolated] [--leaf]
//
// Scenarios: unary at concurrency 100 (1,000 calls per batch) and server
// streaming (one call of 10,000 small messages per batch). Each round runs
// Stubwright, grpc-js, and each of them again, in paired rounds (see
// paired-rounds.mjs); the "again" runs give the noise floor. Client and
// server of a stack share a process, so the CPU time is all the work of a
// call.
//
// By default both stacks share this process. On Node 20 and 22 the
// Stubwright server enters AsyncLocalStorage, which turns on promise hooks
// for the whole process, so the grpc-js runs pay for them too: that isolates
// Stubwright's own code. --isolated gives each mode a process of its own
// (the "again" modes too; fresh ones every few rounds), so the figure is
// everything a Stubwright process pays, hooks included. --leaf serves with
// `propagate: false`, which enters no AsyncLocalStorage, as a leaf service
// that calls no other would.
import { roundsPerProcess, runIsolatedRounds } from "./isolated-rounds.mjs";
import { measure, median, ratioInterval, runPairedRounds } from "./paired-rounds.mjs";
import { scenarios, startStack } from "./over-grpc-js-stacks.mjs";

const args = process.argv.slice(2);
const leaf = args.includes("--leaf");
const isolated = args.includes("--isolated");
const rounds = Number(args.find((arg) => !arg.startsWith("--")) ?? 200);
/** Each mode and the stack it runs. */
const modes = { Stubwright: "Stubwright", "grpc-js": "grpc-js", "Stubwright again": "Stubwright", "grpc-js again": "grpc-js" };

/** Every mode in this process, the two stacks side by side. */
async function startInProcess() {
  const stacks = { Stubwright: await startStack("Stubwright", { leaf }), "grpc-js": await startStack("grpc-js") };
  return {
    batch: (mode, scenario) => measure(() => scenario.run(stacks[modes[mode]])),
    stop: () => Promise.all(Object.values(stacks).map((stack) => stack.stop())),
  };
}

/** Every mode's figures for `scenario`, round by round. */
function takeRounds(scenario) {
  if (isolated) {
    const child = new URL("./over-grpc-js-child.mjs", import.meta.url);
    const forkArgs = Object.fromEntries(Object.entries(modes).map(([mode, stack]) => [mode, [stack, ...(leaf ? ["--leaf"] : [])]]));
    return runIsolatedRounds(child, forkArgs, rounds, scenario.id);
  }
  return runPairedRounds(Object.keys(modes), rounds, (mode) => inProcess.batch(mode, scenario));
}

const inProcess = isolated ? undefined : await startInProcess();
const where = isolated ? `a process per mode, fresh ones every ${roundsPerProcess} rounds` : "one process";
const serving = leaf ? "Stubwright server with propagate: false" : "Stubwright server propagating (the default)";
console.log(`Stubwright over raw grpc-js, same codec, ${where}, over 127.0.0.1; Node ${process.version}; ${serving}`);
console.log(`median of ${rounds} paired rounds [95 % interval] (target <= 3 %)`);
for (const scenario of scenarios) {
  const { title, units, unit } = scenario;
  const taken = await takeRounds(scenario);
  const cpuPer = (mode) => ((median(taken[mode].map((t) => t.cpu)) / units) * 1e6).toFixed(2);
  const rate = (mode) => (units / median(taken[mode].map((t) => t.wall))).toFixed(0);
  console.log(
    `${title}: Stubwright ${rate("Stubwright")} ${unit}s/s, ${cpuPer("Stubwright")} µs CPU/${unit}; grpc-js ${rate("grpc-js")} ${unit}s/s, ${cpuPer("grpc-js")} µs CPU/${unit}`,
  );
  const line = (label, a, b) => console.log(`  ${label} CPU ${ratioInterval(taken, a, b, "cpu")}, wall ${ratioInterval(taken, a, b, "wall")}`);
  line("Stubwright vs grpc-js            ", "Stubwright", "grpc-js");
  // A second estimate: with --isolated, from another pair of processes.
  line("Stubwright again vs grpc-js again", "Stubwright again", "grpc-js again");
  line("grpc-js again vs grpc-js         ", "grpc-js again", "grpc-js");
  line("Stubwright again vs Stubwright   ", "Stubwright again", "Stubwright");
}
await inProcess?.stop();
