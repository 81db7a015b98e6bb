// What Stubwright's runtime costs over raw grpc-js end to end: the same calls,
// over 127.0.0.1, the same codec (Stubwright's, through the same method
// definitions), made and served once by Stubwright (client stub, server
// adapter, async-generator handler, for-await reader) and once by grpc-js
// alone (makeUnaryRequest in a Promise, a handler that calls back, a write
// loop, "data" events). Prints figures; asserts nothing.
//
//   npm run bench:over-grpc-js                  (builds first; ~8 min)
//   node packages/runtime/bench/over-grpc-js.bench.mjs [rounds]
//
// Scenarios: unary at concurrency 100 (1,000 calls per batch) and server
// streaming (one call of 10,000 small messages per batch). Each round runs
// Stubwright, grpc-js, and each of them again, in paired rounds (see
// paired-rounds.mjs); the "again" runs give the noise floor. Client and
// servers share this process, so the CPU time is all the work of a call.
// On Node 20 the Stubwright server enters AsyncLocalStorage, which turns on
// promise hooks for the whole process, so the grpc-js runs pay for them too:
// this isolates Stubwright's own code. What AsyncLocalStorage costs on
// Node 20 is the suite's "grpc-js + codec + ALS" column (`npm run bench`).
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { Client, Server, ServerCredentials, credentials } from "@grpc/grpc-js";
import { closeClient, createClient, createServer, serverStreamingMethod, unaryMethod } from "@stubwright/runtime";
import { measure, median, ratioInterval, runConcurrently, runPairedRounds } from "./paired-rounds.mjs";

const rounds = Number(process.argv[2] ?? 200);
const concurrency = 100;
const unaryCalls = 1_000;
const streamMessages = 10_000;
const Bench = {
  echo: unaryMethod("/bench.Overhead/Echo", StringValueSchema, StringValueSchema),
  stream: serverStreamingMethod("/bench.Overhead/Stream", StringValueSchema, StringValueSchema),
};
const message = create(StringValueSchema, { value: "small message" });

/** Stubwright on both sides. */
async function startStubwright() {
  const server = createServer().add(Bench, {
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

/** grpc-js on both sides, with the same method definitions (and codec). */
async function startGrpcJs() {
  const server = new Server();
  server.addService(Bench, {
    echo: (call, callback) => callback(null, call.request),
    stream(call) {
      let index = 0;
      const writeSome = () => {
        while (index < streamMessages) {
          index++;
          if (!call.write(message)) {
            call.once("drain", writeSome);
            return;
          }
        }
        call.end();
      };
      writeSome();
    },
  });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  const { echo, stream } = Bench;
  return {
    unary: () =>
      new Promise((resolve, reject) =>
        client.makeUnaryRequest(echo.path, echo.requestSerialize, echo.responseDeserialize, message, (error, response) =>
          error ? reject(error) : resolve(response),
        ),
      ),
    stream: () =>
      new Promise((resolve, reject) => {
        let count = 0;
        const call = client.makeServerStreamRequest(stream.path, stream.requestSerialize, stream.responseDeserialize, message);
        call.on("data", () => count++);
        call.on("error", reject);
        call.on("end", () => resolve(count));
      }),
    async stop() {
      client.close();
      await new Promise((resolve) => server.tryShutdown(resolve));
    },
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

const stacks = { Stubwright: await startStubwright(), "grpc-js": await startGrpcJs() };
const modes = { Stubwright: "Stubwright", "grpc-js": "grpc-js", "Stubwright again": "Stubwright", "grpc-js again": "grpc-js" };
console.log(`Stubwright over raw grpc-js, same codec, one process over 127.0.0.1; Node ${process.version}`);
console.log(`median of ${rounds} paired rounds [95 % interval] (target <= 3 %)`);
for (const [scenario, run, units, unit] of [
  [`unary, concurrency ${concurrency}`, unaryBatch, unaryCalls, "call"],
  ["server streaming", streamBatch, streamMessages, "msg"],
]) {
  const taken = await runPairedRounds(Object.keys(modes), rounds, (mode) => measure(() => run(stacks[modes[mode]])));
  const cpuPer = (mode) => ((median(taken[mode].map((t) => t.cpu)) / units) * 1e6).toFixed(2);
  const rate = (mode) => (units / median(taken[mode].map((t) => t.wall))).toFixed(0);
  console.log(`${scenario}: Stubwright ${rate("Stubwright")} ${unit}s/s, ${cpuPer("Stubwright")} µs CPU/${unit}; grpc-js ${rate("grpc-js")} ${unit}s/s, ${cpuPer("grpc-js")} µs CPU/${unit}`);
  const line = (label, a, b) => console.log(`  ${label} CPU ${ratioInterval(taken, a, b, "cpu")}, wall ${ratioInterval(taken, a, b, "wall")}`);
  line("Stubwright vs grpc-js         ", "Stubwright", "grpc-js");
  line("grpc-js again vs grpc-js      ", "grpc-js again", "grpc-js");
  line("Stubwright again vs Stubwright", "Stubwright again", "Stubwright");
}
for (const stack of Object.values(stacks)) await stack.stop();
