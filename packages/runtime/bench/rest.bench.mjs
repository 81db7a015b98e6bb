// What a REST call costs against a gRPC call to the same handlers: one
// Stubwright server serves the bookstore test service over gRPC (grpc-js) and
// over REST (createRestHandler on node:http), and the same process calls it
// both ways over 127.0.0.1. Prints calls or messages per second and CPU per
// call or message (client and server together, as they share the process);
// asserts nothing.
//
//   npm run bench:rest                   (builds first)
//   node packages/runtime/bench/rest.bench.mjs [rounds]
//
// Scenarios: unary GET /v1/shelves/{shelf} (GetShelf) at concurrency 100,
// 1,000 calls per batch; server streaming GET /v1/{parent}/books?count=1000
// (ListBooks), 10 calls of 1,000 messages per batch. The REST client is
// node:http with a keep-alive agent and parses every JSON body, as the gRPC
// client decodes every message. Paired rounds (see paired-rounds.mjs); the
// "again" modes give the noise floor.
import { once } from "node:events";
import { Agent, createServer as createHttpServer, request } from "node:http";
import { closeClient, createServer } from "@stubwright/runtime";
import { createRestHandler } from "@stubwright/runtime/rest";
import { BookstoreDefinition, createBookstoreClient } from "../../../test/golden/js-dts/bookstore/v1/bookstore_grpc.js";
import { measure, median, ratioInterval, runConcurrently, runPairedRounds } from "./paired-rounds.mjs";

const rounds = Number(process.argv[2] ?? 40);
const concurrency = 100;
const unaryCalls = 1_000;
const streamCalls = 10;
const streamMessages = 1_000;
const modes = ["REST", "gRPC", "REST again", "gRPC again"];

const server = createServer().add(BookstoreDefinition, {
  getShelf: (request) => ({ name: `shelves/${request.shelf}`, theme: "bench", bookCount: 3n }),
  async *listBooks(request) {
    for (let i = 0; i < request.count; i++) yield { name: `${request.parent}/books/${i}`, title: "bench", pages: 100n };
  },
});
const grpcPort = await server.listen("127.0.0.1:0");
const http = createHttpServer(createRestHandler(server));
http.listen(0, "127.0.0.1");
await once(http, "listening");
const httpPort = http.address().port;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const client = createBookstoreClient(`127.0.0.1:${grpcPort}`);

/** GETs `path` and resolves with the body as text, failing on a status other than 200. */
function get(path) {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port: httpPort, path, agent }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`${path}: HTTP ${response.statusCode}`))));
    })
      .on("error", reject)
      .end();
  });
}

/** Fails the benchmark when a call did not get what it asked for: a fast wrong answer is no figure. */
function check(condition, what) {
  if (!condition) throw new Error(`bench:rest: ${what}`);
}

const calls = {
  REST: {
    unary: async () => check(JSON.parse(await get("/v1/shelves/s1")).name === "shelves/s1", "wrong REST response"),
    stream: async () => {
      const lines = (await get(`/v1/shelves/s1/books?count=${streamMessages}`))
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
      check(lines.length === streamMessages && lines.every((line) => line.result !== undefined), "incomplete REST stream");
    },
  },
  gRPC: {
    unary: async () => check((await client.getShelf({ shelf: "s1" })).name === "shelves/s1", "wrong gRPC response"),
    stream: async () => {
      let count = 0;
      for await (const _ of client.listBooks({ parent: "shelves/s1", count: streamMessages })) count++;
      check(count === streamMessages, "incomplete gRPC stream");
    },
  },
};

const scenarios = [
  { title: `unary, concurrency ${concurrency}`, units: unaryCalls, unit: "call", run: (mode) => runConcurrently(unaryCalls, concurrency, calls[mode].unary) },
  {
    title: `server streaming, ${streamMessages} msgs/call`,
    units: streamCalls * streamMessages,
    unit: "msg",
    run: (mode) => runConcurrently(streamCalls, streamCalls, calls[mode].stream),
  },
];

console.log(`REST (JSON over HTTP/1.1) against gRPC, same handlers and server, one process, over 127.0.0.1; Node ${process.version}`);
console.log(`median of ${rounds} paired rounds [95 % interval]`);
for (const scenario of scenarios) {
  const taken = await runPairedRounds(modes, rounds, (mode) => measure(() => scenario.run(mode.replace(" again", ""))));
  const cpuPer = (mode) => ((median(taken[mode].map((t) => t.cpu)) / scenario.units) * 1e6).toFixed(2);
  const rate = (mode) => (scenario.units / median(taken[mode].map((t) => t.wall))).toFixed(0);
  console.log(
    `${scenario.title}: REST ${rate("REST")} ${scenario.unit}s/s, ${cpuPer("REST")} µs CPU/${scenario.unit}; ` +
      `gRPC ${rate("gRPC")} ${scenario.unit}s/s, ${cpuPer("gRPC")} µs CPU/${scenario.unit}`,
  );
  console.log(`  REST vs gRPC             CPU ${ratioInterval(taken, "REST", "gRPC", "cpu")}, wall ${ratioInterval(taken, "REST", "gRPC", "wall")}`);
  console.log(
    `  gRPC again vs gRPC       CPU ${ratioInterval(taken, "gRPC again", "gRPC", "cpu")}, wall ${ratioInterval(taken, "gRPC again", "gRPC", "wall")}`,
  );
  console.log(
    `  REST again vs REST       CPU ${ratioInterval(taken, "REST again", "REST", "cpu")}, wall ${ratioInterval(taken, "REST again", "REST", "wall")}`,
  );
}
closeClient(client);
agent.destroy();
http.closeAllConnections();
await new Promise((resolve) => http.close(resolve));
await server.shutdown({ graceMs: 1000 });
