// How fast could any codec make grpc-js? Raw grpc-js (server and client in
// one process, a process per mode) with protobuf-es's toBinary/fromBinary
// (the suite's baseline), with Stubwright's compiled codec, and with no codec
// at all (bytes passed through, encoded before timing), in the two suite
// scenarios whose targets are ratios to the baseline: unary 64 KiB and server
// streaming. "No codec" is the ceiling: whatever a stack on grpc-js does to
// messages, grpc-js and Node's HTTP/2 still cost what that mode costs.
// Prints figures; asserts nothing.
//
//   npm run bench:codec-ceiling                 (builds first; ~6 min)
//   node packages/bench/paired/codec-ceiling.bench.mjs [rounds]
import { runIsolatedRounds } from "../../runtime/bench/isolated-rounds.mjs";
import { median, medianWithInterval, ratioInterval } from "../../runtime/bench/paired-rounds.mjs";
import { scenarios } from "./codec-ceiling-scenarios.mjs";

const rounds = Number(process.argv[2] ?? 96);
const child = new URL("./codec-ceiling-child.mjs", import.meta.url);
/** Each mode and the codec its process uses. */
const modes = {
  "protobuf-es": ["protobuf-es"],
  "compiled codec": ["compiled"],
  "no codec": ["none"],
  "protobuf-es again": ["protobuf-es"],
};

/** "1.23× [1.10 … 1.31]": how many times the baseline's `clock` time per round a mode's is. */
function speedup(taken, mode, clock) {
  const ratios = taken["protobuf-es"].map((figures, round) => figures[clock] / taken[mode][round][clock]);
  const { median: m, low, high } = medianWithInterval(ratios);
  return `${m.toFixed(2)}× [${low.toFixed(2)} … ${high.toFixed(2)}]`;
}

console.log(`Codec ceiling on grpc-js: raw grpc-js per codec, a process per mode, over 127.0.0.1; Node ${process.version}`);
console.log(`median of ${rounds} paired rounds [95 % interval]; speed-up = the baseline's time / the mode's (> 1 is faster)`);
for (const { id, title, units, unit } of scenarios) {
  const taken = await runIsolatedRounds(child, modes, rounds, id);
  console.log(`${title}:`);
  for (const mode of Object.keys(modes)) {
    const rate = (units / median(taken[mode].map((t) => t.wall))).toFixed(0);
    const cpu = ((median(taken[mode].map((t) => t.cpu)) / units) * 1e6).toFixed(2);
    console.log(`  ${mode.padEnd(17)} ${rate} ${unit}s/s, ${cpu} µs CPU/${unit}`);
  }
  for (const mode of ["compiled codec", "no codec", "protobuf-es again"]) {
    console.log(`  ${mode.padEnd(17)} speed-up CPU ${speedup(taken, mode, "cpu")}, wall ${speedup(taken, mode, "wall")}`);
  }
  console.log(`  noise floor: protobuf-es again vs protobuf-es CPU ${ratioInterval(taken, "protobuf-es again", "protobuf-es", "cpu")}`);
}
