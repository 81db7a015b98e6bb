// The two stacks bench:over-grpc-js compares, and the batches it times: the
// same method definitions (so the same codec) served and called once by
// Stubwright and once by grpc-js alone.
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { closeClient, createClient, createServer } from "@stubwright/runtime";
import { serverStreamingMethod, unaryMethod } from "../dist/method-definition.js";
import { runConcurrently } from "./paired-rounds.mjs";
import { countStream, startRawGrpcJs, unaryCall, writeLoop } from "./raw-grpc-js.mjs";

const concurrency = 100;
const unaryCalls = 1_000;
const streamMessages = 10_000;
const Bench = {
  echo: unaryMethod("/bench.Overhead/Echo", StringValueSchema, StringValueSchema),
  stream: serverStreamingMethod("/bench.Overhead/Stream", StringValueSchema, StringValueSchema),
};
const message = create(StringValueSchema, { value: "small message" });

/** The timed scenarios: a batch per round, and how many calls or messages it makes. */
export const scenarios = [
  { id: "unary", title: `unary, concurrency ${concurrency}`, units: unaryCalls, unit: "call", run: unaryBatch },
  { id: "stream", title: "server streaming", units: streamMessages, unit: "msg", run: streamBatch },
];

/** Starts a stack by name ("Stubwright" or "grpc-js"); `leaf` serves Stubwright with `propagate: false`. */
export function startStack(name, { leaf = false } = {}) {
  return name === "Stubwright" ? startStubwright(leaf) : startGrpcJs();
}

/** Stubwright on both sides: client stub, server adapter, async-generator handler, for-await reader. */
async function startStubwright(leaf) {
  const server = createServer({ propagate: !leaf }).add(Bench, {
    echo: (request) => request,
    async *stream() {
      for (let index = 0; index < streamMessages; index++) yield message;
    },
  });
  const port = await server.listen("127.0.0.1:0");
  const client = createClient(Bench, `127.0.0.1:${port}`);
  return {
    unary: () => client.echo(message),
    async stream() {
      let count = 0;
      for await (const _ of client.stream(message)) count++;
      return count;
    },
    async stop() {
      closeClient(client);
      await server.shutdown({ graceMs: 1_000 });
    },
  };
}

/** grpc-js on both sides: makeUnaryRequest in a Promise, a handler that calls back, a write loop, "data" events. */
async function startGrpcJs() {
  const { client, stop } = await startRawGrpcJs(Bench, {
    echo: (call, callback) => callback(null, call.request),
    stream: writeLoop(streamMessages, () => message),
  });
  return {
    unary: () => unaryCall(client, Bench.echo, message),
    stream: () => countStream(client, Bench.stream, message),
    stop,
  };
}

/** `unaryCalls` unary calls, `concurrency` in flight. */
function unaryBatch(stack) {
  return runConcurrently(unaryCalls, concurrency, stack.unary);
}

async function streamBatch(stack) {
  const count = await stack.stream();
  if (count !== streamMessages) {
    throw new Error(`streamed ${count} messages, expected ${streamMessages}`);
  }
}
