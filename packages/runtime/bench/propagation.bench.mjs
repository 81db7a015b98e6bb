// What deadline and cancellation propagation costs on unary calls: the same
// calls, made from inside a handler at concurrency 100, with propagation on
// (the default) and off (`propagate: false`). Prints figures; asserts nothing.
//
//   npm run bench:propagation                    (builds first; timed, ~5 min)
//   node packages/runtime/bench/propagation.bench.mjs [calls-per-batch] [rounds]
//   node packages/runtime/bench/propagation.bench.mjs --instructions [calls]
//
// Topology, all on 127.0.0.1 in this process: the driver calls B (with a
// 10-minute deadline) once per batch; B's handler makes the measured calls to
// C. With propagation on, every call to C inherits B's deadline (sent as
// grpc-timeout, so grpc-js arms a deadline timer on both sides) and follows
// B's cancellation; with it off, the calls carry neither. A third mode, off
// but with B's deadline passed explicitly, sends the same grpc-timeout
// without the inheritance: it separates the cost of having a deadline at all
// (grpc-js, HTTP/2 and timers) from the cost of inheriting it (Stubwright's
// share). A fourth, "off" again, shows how far two identical modes differ:
// the noise floor below which no figure here means anything.
//
// Timed mode: each round runs one batch per mode, in an order that cycles
// through a Williams design, and each round's batches are compared with one
// another, so load from other processes on a shared machine hits both sides
// alike; a full GC before every batch keeps garbage from one batch out of the
// next. It reports the median of the per-round ratios with a 95 % confidence
// interval (distribution-free, from order statistics), for wall-clock time
// and for this process's CPU time (client, both servers: all the work). The
// interval narrows with the square root of the rounds: 31 rounds left it
// about ±10 % wide here, 300 about ±2 %.
//
// Instructions mode: each mode runs in a child process under valgrind's
// callgrind, which counts instructions executed, a figure that the load of
// other processes moves far less than time. Each mode runs twice, with
// `calls` and 3 × `calls` measured calls after the same warm-up; the
// difference of the two counts, divided by the extra calls, is the
// instructions per call, free of start-up and JIT warm-up. It is not exact:
// how I/O batches, and when the GC and the JIT run, still vary from run to
// run, so "off again" repeats "off" to show the noise floor. Needs valgrind
// (Debian package `valgrind`); takes about 17 minutes.
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { closeClient, createClient, createServer } from "@stubwright/runtime";
import { unaryMethod } from "../dist/method-definition.js";
import { measure, median, percent, ratioInterval, runConcurrently, runPairedRounds } from "./paired-rounds.mjs";

const concurrency = 100;

const inboundTimeout = 10 * 60_000;

const Leaf = { echo: unaryMethod("/bench.Leaf/Echo", StringValueSchema, StringValueSchema) };
const Relay = { run: unaryMethod("/bench.Relay/Run", StringValueSchema, StringValueSchema) };

/** Call options per mode; "off+deadline" adds B's deadline in the handler. */
const modes = {
  on: {},
  off: { propagate: false },
  "off+deadline": { propagate: false },
  // The same as "off": their difference is the noise floor of the machine.
  "off again": { propagate: false },
};

/** Starts C and B; `batch(mode, count)` has B make `count` calls to C. */
async function startTopology() {
  const leafServer = createServer().add(Leaf, { echo: (request) => ({ value: request.value }) });
  const leafPort = await leafServer.listen("127.0.0.1:0");
  const leafClient = createClient(Leaf, `127.0.0.1:${leafPort}`);

  /**
   * Makes `count` calls to C, `concurrency` in flight; returns the wall-clock
   * seconds and the CPU seconds (user + system, both sides) it took.
   */
  function burst(count, options) {
    return measure(() => runConcurrently(count, concurrency, () => leafClient.echo({ value: "x" }, options)));
  }

  const relayServer = createServer().add(Relay, {
    async run(request, context) {
      const { mode, count } = JSON.parse(request.value);
      const options = mode === "off+deadline" ? { ...modes[mode], deadline: context.deadline } : modes[mode];
      return { value: JSON.stringify(await burst(count, options)) };
    },
  });
  const relayPort = await relayServer.listen("127.0.0.1:0");
  const relayClient = createClient(Relay, `127.0.0.1:${relayPort}`);

  return {
    async batch(mode, count) {
      const response = await relayClient.run({ value: JSON.stringify({ mode, count }) }, { timeoutMs: inboundTimeout });
      return JSON.parse(response.value);
    },
    async stop() {
      closeClient(relayClient);
      closeClient(leafClient);
      await relayServer.shutdown({ graceMs: 1_000 });
      await leafServer.shutdown({ graceMs: 1_000 });
    },
  };
}

async function timed(callsPerBatch, rounds) {
  const topology = await startTopology();
  console.log(`propagation benchmark (timed): unary calls made inside a handler, concurrency ${concurrency}`);
  console.log(`${rounds} rounds of one ${callsPerBatch}-call batch per mode; Node ${process.version}`);
  const taken = await runPairedRounds(Object.keys(modes), rounds, (mode) => topology.batch(mode, callsPerBatch));
  await topology.stop();
  const rate = (mode) => (callsPerBatch / median(taken[mode].map((t) => t.wall))).toFixed(0).padStart(7);
  const cpuPerCall = (mode) => ((median(taken[mode].map((t) => t.cpu)) / callsPerBatch) * 1e6).toFixed(1).padStart(6);
  console.log(`propagation on                ${rate("on")} calls/s  ${cpuPerCall("on")} µs CPU/call (medians)`);
  console.log(`propagation off               ${rate("off")} calls/s  ${cpuPerCall("off")} µs CPU/call`);
  console.log(`propagation off, B's deadline ${rate("off+deadline")} calls/s  ${cpuPerCall("off+deadline")} µs CPU/call`);
  console.log(`propagation off again         ${rate("off again")} calls/s  ${cpuPerCall("off again")} µs CPU/call`);
  console.log(`overhead of propagation, median of ${rounds} rounds [95 % interval] (target <= 3 %):`);
  const line = (label, a, b, note = "") =>
    console.log(`  ${label} CPU ${ratioInterval(taken, a, b, "cpu")}, wall ${ratioInterval(taken, a, b, "wall")}${note}`);
  line("on vs off                   ", "on", "off");
  line("on vs off with B's deadline ", "on", "off+deadline", " (inheritance alone)");
  line("off with B's deadline vs off", "off+deadline", "off", " (grpc-js carrying a deadline)");
  line("off again vs off            ", "off again", "off", " (noise floor: identical modes)");
  console.log(`(CPU time is the steadier figure on a machine shared with other work; --instructions`);
  console.log(` counts instructions under valgrind instead, with its own noise floor.)`);
  await ownWork();
}

/**
 * Stubwright's own work for inheriting, without the network: `startCall` and
 * `prepareCall` against the inbound call, following it and leaving it at the end, with 100
 * calls in flight, against the same calls given the deadline explicitly.
 */
async function ownWork() {
  const { prepareCall, startCall } = await import("../dist/client/prepared-call.js");
  const { runWithCall } = await import("../dist/propagation.js");
  const inbound = {
    method: "/bench.Relay/Run",
    deadline: Date.now() + inboundTimeout,
    abortReason: undefined,
    followers: new Set(),
    get signal() {
      throw new Error("outbound calls must not create the inbound signal");
    },
    follow(follower) {
      this.followers.add(follower);
    },
    unfollow(follower) {
      this.followers.delete(follower);
    },
  };
  const grpcCall = { cancel() {}, on() {} };
  const loop = (options, count) => {
    const inFlight = [];
    const begin = process.hrtime.bigint();
    for (let index = 0; index < count; index++) {
      const call = prepareCall(options, {}, startCall(options));
      call.attach(grpcCall);
      inFlight.push(call);
      if (inFlight.length === concurrency) inFlight.shift().end();
    }
    for (const call of inFlight) call.end();
    return Number(process.hrtime.bigint() - begin) / count;
  };
  const inheriting = [];
  const explicit = [];
  for (let round = 0; round < 11; round++) {
    inheriting.push(runWithCall(inbound, () => loop({}, 50_000)));
    explicit.push(runWithCall(inbound, () => loop({ propagate: false, deadline: new Date(inbound.deadline) }, 50_000)));
  }
  const extra = median(inheriting) - median(explicit);
  console.log(`Stubwright's own work per call, no network (medians of 11 rounds of 50,000 calls):`);
  console.log(
    `  inheriting ${median(inheriting).toFixed(0)} ns, same deadline given explicitly ${median(explicit).toFixed(0)} ns: +${extra.toFixed(0)} ns per call`,
  );
}

/** Child process of the instructions mode: warm up, then make `count` calls in `mode`. */
async function child(mode, count) {
  const topology = await startTopology();
  await topology.batch(mode, 2_000);
  await topology.batch(mode, count); // measured, so after a full collection
  await topology.stop();
}

function countInstructions(mode, count) {
  const script = fileURLToPath(import.meta.url);
  const args = ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, script, "--child", mode, String(count)];
  return new Promise((resolve, reject) => {
    execFile("valgrind", args, { maxBuffer: 1 << 24 }, (error, _stdout, stderr) => {
      const match = /Collected : (\d+)/.exec(stderr);
      if (error || !match) {
        reject(new Error(`valgrind failed for ${mode} ${count}: ${error?.message ?? stderr.slice(-500)}`));
        return;
      }
      resolve(Number(match[1]));
    });
  });
}

async function instructions(calls) {
  console.log(`propagation benchmark (instructions, valgrind callgrind): unary calls made inside a handler, concurrency ${concurrency}`);
  console.log(`per mode: (instructions with ${3 * calls} calls − with ${calls} calls) / ${2 * calls}; Node ${process.version}`);
  const perCall = {};
  for (const mode of ["on", "off", "off+deadline", "off again"]) {
    const small = await countInstructions(mode, calls);
    const large = await countInstructions(mode, 3 * calls);
    perCall[mode] = (large - small) / (2 * calls);
    console.log(`  ${mode.padEnd(13)} ${Math.round(perCall[mode]).toLocaleString("en-US").padStart(10)} instructions per call`);
  }
  console.log(`overhead of propagation (target <= 3 %):`);
  console.log(`  on vs off                    ${percent(perCall.on / perCall.off)}`);
  console.log(`  on vs off with B's deadline  ${percent(perCall.on / perCall["off+deadline"])} (inheritance alone)`);
  console.log(`  off with B's deadline vs off ${percent(perCall["off+deadline"] / perCall.off)} (grpc-js carrying a deadline)`);
  console.log(`  off again vs off             ${percent(perCall["off again"] / perCall.off)} (noise floor: identical modes)`);
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  await child(args[1], Number(args[2]));
} else if (args[0] === "--instructions") {
  await instructions(Number(args[1] ?? 2_000));
} else {
  await timed(Number(args[0] ?? 1_000), Number(args[1] ?? 300));
}
