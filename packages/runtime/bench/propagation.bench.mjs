// What deadline and cancellation propagation costs on unary calls: the same
// calls, made from inside a handler at concurrency 100, with propagation on
// (the default) and off (`propagate: false`). Prints figures; asserts nothing.
//
//   npm run bench:propagation                       (builds first)
//   node packages/runtime/bench/propagation.bench.mjs [calls-per-batch] [pairs]
//
// Topology, all on 127.0.0.1 in this process: the driver calls B (with a
// 10-minute deadline) once per batch; B's handler makes the measured calls to
// C. With propagation on, every call to C inherits B's deadline (sent as
// grpc-timeout, so C and grpc-js arm deadline timers) and listens to B's
// signal; with it off, the calls carry neither. A third mode, off but with
// B's deadline passed explicitly, sends the same grpc-timeout without the
// inheritance: it separates the cost of having a deadline at all (grpc-js,
// HTTP/2 and timers) from the cost of inheriting it (Stubwright's share). A
// fourth, "off" again, shows how far two identical modes differ: the noise
// floor below which no figure here means anything. Finally, Stubwright's own
// per-call propagation work is timed in isolation (no network).
//
// Batches of the modes alternate, and each pair is compared on its own, so
// load from other processes on a shared machine hits both sides alike; the
// medians of the per-pair ratios are reported, for wall-clock time and for
// this process's CPU time (client, both servers: all the work of the calls).
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { setMaxListeners } from "node:events";
import { closeClient, createClient, createServer, currentCall, unaryMethod } from "@stubwright/runtime";

const callsPerBatch = Number(process.argv[2] ?? 2_000);
const pairs = Number(process.argv[3] ?? 15);
const concurrency = 100;
const inboundTimeout = 10 * 60_000;

const Leaf = { echo: unaryMethod("/bench.Leaf/Echo", StringValueSchema, StringValueSchema) };
const Relay = { run: unaryMethod("/bench.Relay/Run", StringValueSchema, StringValueSchema) };

const leafServer = createServer().add(Leaf, { echo: (request) => ({ value: request.value }) });
const leafPort = await leafServer.listen("127.0.0.1:0");
const leafClient = createClient(Leaf, `127.0.0.1:${leafPort}`);

const modes = {
  on: {},
  off: { propagate: false },
  "off+deadline": { propagate: false }, // plus B's deadline, see run()
  // The same as "off": their difference is the noise floor of the machine.
  "off again": { propagate: false },
};

/**
 * Makes `count` calls to C, `concurrency` in flight; returns the wall-clock
 * seconds and the CPU seconds (user + system, both sides of the calls) it took.
 */
async function burst(count, options) {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await leafClient.echo({ value: "x" }, options);
    }
  };
  const begin = process.hrtime.bigint();
  const cpuBegin = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpuBegin);
  return { wall: Number(process.hrtime.bigint() - begin) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
}

const relayServer = createServer().add(Relay, {
  async run(request, context) {
    const options = request.value === "off+deadline" ? { propagate: false, deadline: context.deadline } : modes[request.value];
    return { value: JSON.stringify(await burst(callsPerBatch, options)) };
  },
});
const relayPort = await relayServer.listen("127.0.0.1:0");
const relayClient = createClient(Relay, `127.0.0.1:${relayPort}`);

async function batch(mode) {
  const response = await relayClient.run({ value: mode }, { timeout: inboundTimeout });
  return JSON.parse(response.value);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const percent = (ratio) => `${((ratio - 1) * 100).toFixed(2)} %`;

console.log(`propagation benchmark: unary calls made inside a handler, concurrency ${concurrency}`);
console.log(`${pairs} alternating batches of ${callsPerBatch} calls per mode; Node ${process.version}`);
for (const mode of Object.keys(modes)) {
  await batch(mode); // warm up connections and the JIT
}
const taken = { on: [], off: [], "off+deadline": [], "off again": [] };
const ratios = { wall: { off: [], timeout: [], noise: [] }, cpu: { off: [], timeout: [], noise: [] } };
for (let index = 0; index < pairs; index++) {
  const order = index % 2 === 0 ? ["on", "off", "off+deadline", "off again"] : ["off again", "off+deadline", "off", "on"];
  const pair = {};
  for (const mode of order) {
    pair[mode] = await batch(mode);
    taken[mode].push(pair[mode]);
  }
  for (const clock of ["wall", "cpu"]) {
    ratios[clock].off.push(pair.on[clock] / pair.off[clock]);
    ratios[clock].timeout.push(pair.on[clock] / pair["off+deadline"][clock]);
    ratios[clock].noise.push(pair["off again"][clock] / pair.off[clock]);
  }
}
const rate = (mode) => (callsPerBatch / median(taken[mode].map((t) => t.wall))).toFixed(0).padStart(7);
const cpuPerCall = (mode) => ((median(taken[mode].map((t) => t.cpu)) / callsPerBatch) * 1e6).toFixed(1).padStart(6);
console.log(`propagation on                ${rate("on")} calls/s  ${cpuPerCall("on")} µs CPU/call (medians)`);
console.log(`propagation off               ${rate("off")} calls/s  ${cpuPerCall("off")} µs CPU/call`);
console.log(`propagation off, B's deadline ${rate("off+deadline")} calls/s  ${cpuPerCall("off+deadline")} µs CPU/call`);
console.log(`propagation off again         ${rate("off again")} calls/s  ${cpuPerCall("off again")} µs CPU/call`);
console.log(`overhead of propagation, median of ${pairs} paired batches (target <= 3 %):`);
console.log(`  on vs off                   wall ${percent(median(ratios.wall.off))}, CPU ${percent(median(ratios.cpu.off))}`);
console.log(`  on vs off with B's deadline wall ${percent(median(ratios.wall.timeout))}, CPU ${percent(median(ratios.cpu.timeout))} (inheritance alone)`);
console.log(`  off again vs off            wall ${percent(median(ratios.wall.noise))}, CPU ${percent(median(ratios.cpu.noise))} (noise floor: identical modes)`);
console.log(`(CPU time is the steadier figure on a machine shared with other work.)`);

// Stubwright's own work per call, without the network: resolve the options
// against the inbound call, follow its signal, stop following it at the end,
// with 100 calls in flight (as above), with and without an inbound call.
const { prepareCall } = await import("../dist/client/prepared-call.js");
const { runWithCall } = await import("../dist/propagation.js");
const inbound = new AbortController();
setMaxListeners(0, inbound.signal);
const fakeCall = { cancel() {}, on() {} };
function prepareLoop(options, count) {
  const inFlight = [];
  const begin = process.hrtime.bigint();
  for (let index = 0; index < count; index++) {
    // As the client does: read the inbound call from the async context.
    const call = prepareCall(options, {}, options.propagate === false ? undefined : currentCall());
    call.attach(fakeCall);
    inFlight.push(call);
    if (inFlight.length === concurrency) inFlight.shift().end();
  }
  for (const call of inFlight) call.end();
  return Number(process.hrtime.bigint() - begin) / count;
}
const inboundCall = { method: "/bench.Relay/Run", deadline: Date.now() + inboundTimeout, signal: inbound.signal };
const micro = { on: [], "off+deadline": [] };
for (let index = 0; index < 10; index++) {
  micro.on.push(runWithCall(inboundCall, () => prepareLoop({}, 50_000)));
  micro["off+deadline"].push(prepareLoop({ propagate: false, deadline: inboundCall.deadline }, 50_000));
}
const extraNs = median(micro.on) - median(micro["off+deadline"]);
const cpuOn = (median(taken.on.map((t) => t.cpu)) / callsPerBatch) * 1e9;
console.log(`Stubwright's per-call work, no network: ${median(micro.on).toFixed(0)} ns inheriting, ${median(micro["off+deadline"]).toFixed(0)} ns with the same deadline given explicitly`);
console.log(`  inheritance adds ${extraNs.toFixed(0)} ns per call = ${((extraNs / cpuOn) * 100).toFixed(2)} % of a call's CPU time above`);

closeClient(relayClient);
closeClient(leafClient);
await relayServer.shutdown({ graceMs: 1_000 });
await leafServer.shutdown({ graceMs: 1_000 });
