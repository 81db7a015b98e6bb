// What Stubwright's runtime itself costs per unary call, without the network:
// the server adapter (the grpc-js handler Stubwright builds around a handler)
// driven with a fake grpc-js call, and a client stub driven through a grpc-js
// Client whose makeUnaryRequest answers at once; each against the raw grpc-js
// equivalent (a handler that calls back, a makeUnaryRequest in a Promise).
// Prints figures; asserts nothing.
//
//   npm run bench:overhead                  (builds first)
//   node packages/runtime/bench/overhead.bench.mjs [rounds]
//
// The end-to-end picture (grpc-js, HTTP/2, two processes) is `npm run bench`;
// this one isolates the few hundred nanoseconds that are ours, which the
// end-to-end figures cannot resolve on a shared machine. Note that the server
// adapter enters AsyncLocalStorage (propagation), which on Node 20 turns on
// promise hooks for the whole process: every figure below, raw ones included,
// runs with them on, as a Stubwright server process does.
import { EventEmitter } from "node:events";
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { Client, Metadata, credentials } from "@grpc/grpc-js";
import { createClient } from "@stubwright/runtime";
import { unaryMethod } from "../dist/method-definition.js";
import { createMethodDispatcher as createGrpcHandler } from "../dist/server/method-handler.js";

const rounds = Number(process.argv[2] ?? 15);
const batch = 100; // calls in flight, as in the benchmark suite's unary-c100
const batches = 100; // per round
const method = unaryMethod("/bench.Overhead/Echo", StringValueSchema, StringValueSchema);
const request = create(StringValueSchema, { value: "small message" });
const requestMetadata = new Metadata();

/** The parts of a grpc-js server call the adapter uses. */
class FakeServerCall extends EventEmitter {
  request = request;
  metadata = requestMetadata;
  getPeer() {
    return "127.0.0.1:50000";
  }
  getDeadline() {
    return Infinity;
  }
  sendMetadata() {}
}

const stubwrightHandler = createGrpcHandler(method, (message) => message, {
  policy: { onError() {}, exposeInternalErrors: false },
  tracker: new Set(),
  preSerialized: false,
  propagate: true,
});
const rawHandler = (call, callback) => callback(null, call.request);
function serve(handler) {
  return new Promise((resolve) => {
    let left = batch;
    const callback = () => {
      if (--left === 0) resolve();
    };
    for (let index = 0; index < batch; index++) handler(new FakeServerCall(), callback);
  });
}

// A grpc-js Client that never dials: every unary call serializes its request
// and answers on the next tick, as a real response would arrive later.
const grpcClient = new Client("127.0.0.1:1", credentials.createInsecure());
grpcClient.makeUnaryRequest = (_path, serialize, _deserialize, message, metadata, options, callback) => {
  const done = [metadata, options, callback].find((argument) => typeof argument === "function");
  const call = Object.assign(new EventEmitter(), { cancel() {} });
  serialize(message);
  process.nextTick(done, null, request);
  return call;
};
const stub = createClient({ echo: method }, grpcClient);
const init = { value: "small message" };
const stubwrightCall = () => stub.echo(init);
const rawCall = () =>
  new Promise((resolve, reject) =>
    grpcClient.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, create(StringValueSchema, init), (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
function callAll(call) {
  const calls = [];
  for (let index = 0; index < batch; index++) calls.push(call());
  return Promise.all(calls);
}

const modes = {
  "server: Stubwright adapter": () => serve(stubwrightHandler),
  "server: raw grpc-js handler": () => serve(rawHandler),
  "client: Stubwright stub": () => callAll(stubwrightCall),
  "client: raw makeUnaryRequest": () => callAll(rawCall),
};
const taken = Object.fromEntries(Object.keys(modes).map((name) => [name, []]));
const warmup = 3;
for (let round = 0; round < rounds + warmup; round++) {
  const order = round % 2 === 0 ? Object.keys(modes) : Object.keys(modes).reverse();
  for (const name of order) {
    const begin = process.cpuUsage();
    for (let index = 0; index < batches; index++) await modes[name]();
    const cpu = process.cpuUsage(begin);
    if (round >= warmup) taken[name].push((cpu.user + cpu.system) / (batch * batches));
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`runtime overhead per unary call, no network; Node ${process.version}; medians of ${rounds} rounds of ${batch * batches} calls`);
for (const [name, values] of Object.entries(taken)) {
  console.log(`${name.padEnd(30)} ${median(values).toFixed(2).padStart(6)} µs CPU/call (min ${Math.min(...values).toFixed(2)})`);
}
