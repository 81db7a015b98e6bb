// A minimal reproduction of grpc-js's per-message cost on a long server stream, for a report upstream:
// raw @grpc/grpc-js, no codec (messages are Buffers), one server-streaming call of many small messages.
// The client runs in this process; the server in a child process, once per grpc-js build named on the
// command line, so two builds (say, released and patched) are compared round by round against the same
// client:
//
//   node repro.mjs <grpc-js dir> [<grpc-js dir> ...]      (ROUNDS, default 10; MESSAGES, default 200000)
//
// It prints messages/s and the CPU per message of the server and of the client, per build, as medians.
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const method = {
  path: "/repro.Repro/Stream",
  requestStream: false,
  responseStream: true,
  requestSerialize: (value) => value,
  requestDeserialize: (bytes) => bytes,
  responseSerialize: (value) => value,
  responseDeserialize: (bytes) => bytes,
};
const payload = Buffer.from("a small message!");

if (process.argv[2] === "--serve") {
  const grpc = require(process.argv[3]);
  const server = new grpc.Server();
  server.addService(
    { Stream: method },
    {
      // Writes `count` messages, waiting for "drain" whenever write() asks to.
      Stream(call) {
        const count = call.request.readUInt32BE(0);
        let sent = 0;
        const pump = () => {
          while (sent < count) {
            sent++;
            if (!call.write(payload)) return void call.once("drain", pump);
          }
          call.end();
        };
        pump();
      },
    },
  );
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    process.send({ port });
  });
  process.on("message", (message) => {
    if (message === "cpu") process.send({ cpu: process.cpuUsage() });
    else server.tryShutdown(() => process.exit(0));
  });
} else {
  const builds = process.argv.slice(2).map((dir) => resolve(dir));
  if (builds.length === 0) {
    console.error("usage: node repro.mjs <grpc-js dir> [<grpc-js dir> ...]");
    process.exit(2);
  }
  const rounds = Number(process.env.ROUNDS ?? 10);
  const messages = Number(process.env.MESSAGES ?? 200_000);
  const grpc = require(builds[0]);
  const Client = grpc.makeGenericClientConstructor({ Stream: method }, "Repro");
  const next = (child) => new Promise((done) => child.once("message", done));
  const cpuOf = ({ user, system }) => user + system;

  const servers = [];
  for (const dir of builds) {
    const child = fork(fileURLToPath(import.meta.url), ["--serve", dir]);
    const { port } = await next(child);
    servers.push({ dir, child, client: new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()), samples: [] });
  }
  const request = Buffer.alloc(4);
  request.writeUInt32BE(messages);
  const streamOnce = (client) =>
    new Promise((done, fail) => {
      let received = 0;
      const call = client.Stream(request);
      call.on("data", () => received++);
      call.on("error", fail);
      call.on("end", () => (received === messages ? done() : fail(new Error(`${received} of ${messages} messages`))));
    });

  for (const server of servers) await streamOnce(server.client); // warm-up
  for (let round = 0; round < rounds; round++) {
    // Alternate the order from round to round, so neither build always runs first.
    for (const server of round % 2 === 0 ? servers : servers.toReversed()) {
      server.child.send("cpu");
      const serverBefore = cpuOf((await next(server.child)).cpu);
      const clientBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      await streamOnce(server.client);
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      const clientUs = cpuOf(process.cpuUsage(clientBefore));
      server.child.send("cpu");
      const serverUs = cpuOf((await next(server.child)).cpu) - serverBefore;
      server.samples.push({ rate: messages / wallS, serverUs: serverUs / messages, clientUs: clientUs / messages });
    }
  }
  const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`Node ${process.version}, ${rounds} rounds of ${messages} messages of ${payload.length} bytes, one server stream`);
  for (const { dir, samples } of servers) {
    const rate = median(samples.map((s) => s.rate));
    const server = median(samples.map((s) => s.serverUs));
    const client = median(samples.map((s) => s.clientUs));
    console.log(`${dir}: ${Math.round(rate).toLocaleString("en-US")} msgs/s; CPU per message: server ${server.toFixed(2)} µs, client ${client.toFixed(2)} µs`);
  }
  for (const server of servers) {
    server.client.close();
    server.child.send("stop");
  }
}
