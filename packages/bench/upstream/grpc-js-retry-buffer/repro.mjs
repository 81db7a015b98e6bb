// A minimal reproduction of grpc-js's per-message cost on a long client stream, for a report upstream:
// raw @grpc/grpc-js, no codec (messages are Buffers), one client-streaming call of many small messages
// written as fast as write() allows. The server runs in this process (with the first build named); the
// client runs in a child process per build and round, so two client builds (say, released and patched)
// are compared round by round against the same server:
//
//   node repro.mjs <grpc-js dir> [<grpc-js dir> ...]      (ROUNDS, default 5; MESSAGES, default 15000,100000)
//
// It prints messages/s and the client's CPU per message, per build and stream length, as medians.
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const method = {
  path: "/repro.Repro/Upload",
  requestStream: true,
  responseStream: false,
  requestSerialize: (value) => value,
  requestDeserialize: (bytes) => bytes,
  responseSerialize: (value) => value,
  responseDeserialize: (bytes) => bytes,
};
const payload = Buffer.from("a small message!");

if (process.argv[2] === "--client") {
  // One call of `count` messages, waiting for "drain" whenever write() asks to; reports wall and CPU time.
  const [, , , dir, port, count] = process.argv;
  const grpc = require(dir);
  const Client = grpc.makeGenericClientConstructor({ Upload: method }, "Repro");
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const upload = (messages) =>
    new Promise((done, fail) => {
      const call = client.Upload((error, reply) => (error ? fail(error) : done(reply.readUInt32BE(0))));
      let sent = 0;
      const pump = () => {
        while (sent < messages) {
          sent++;
          if (!call.write(payload)) return void call.once("drain", pump);
        }
        call.end();
      };
      pump();
    });
  await upload(1000); // warm-up
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const received = await upload(Number(count));
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpuBefore);
  if (received !== Number(count)) throw new Error(`server received ${received} of ${count} messages`);
  client.close();
  process.send({ wallS, cpuUs: user + system });
} else {
  const builds = process.argv.slice(2).map((dir) => resolve(dir));
  if (builds.length === 0) {
    console.error("usage: node repro.mjs <grpc-js dir> [<grpc-js dir> ...]");
    process.exit(2);
  }
  const rounds = Number(process.env.ROUNDS ?? 5);
  const lengths = (process.env.MESSAGES ?? "15000,100000").split(",").map(Number);
  const grpc = require(builds[0]);
  const server = new grpc.Server();
  server.addService(
    { Upload: method },
    {
      Upload(call, callback) {
        let received = 0;
        call.on("data", () => received++);
        call.on("end", () => {
          const reply = Buffer.alloc(4);
          reply.writeUInt32BE(received);
          callback(null, reply);
        });
      },
    },
  );
  const port = await new Promise((done, fail) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? fail(error) : done(bound))),
  );
  const runClient = (dir, count) =>
    new Promise((done, fail) => {
      const child = fork(fileURLToPath(import.meta.url), ["--client", dir, String(port), String(count)]);
      child.once("message", done);
      child.once("exit", (code) => (code === 0 ? undefined : fail(new Error(`client exited with ${code}`))));
    });
  const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`Node ${process.version}, ${rounds} rounds, messages of ${payload.length} bytes, one client stream`);
  for (const count of lengths) {
    const samples = builds.map(() => []);
    for (let round = 0; round < rounds; round++) {
      // Alternate the order from round to round, so neither build always runs first.
      const order = builds.map((_, i) => i);
      for (const i of round % 2 === 0 ? order : order.toReversed()) samples[i].push(await runClient(builds[i], count));
    }
    for (const [i, dir] of builds.entries()) {
      const rate = median(samples[i].map((s) => count / s.wallS));
      const cpu = median(samples[i].map((s) => s.cpuUs / count));
      console.log(`${count} messages, ${dir}: ${Math.round(rate).toLocaleString("en-US")} msgs/s; client CPU per message ${cpu.toFixed(2)} µs`);
    }
  }
  server.forceShutdown();
}
