import { writeHeapSnapshot } from "node:v8";
import { startGcMeter } from "./gc-meter.js";
import { stacks } from "./stacks/index.js";

// Child process: runs one stack's server; answers "stats" with its CPU time,
// GC counts and resident set, answers { snapshot: <file> } by writing a heap snapshot there (for
// scripts/profile.mjs), and stops on "stop". Started by main.ts through fork().

const stack = stacks[process.argv[2] ?? ""];
if (stack === undefined || process.send === undefined) throw new Error("usage: fork server-process.js <stack>");
const server = await stack.startServer();
const gc = startGcMeter();
process.on("message", (message: string | { snapshot: string }) => {
  if (typeof message === "object") {
    process.send!({ snapshot: writeHeapSnapshot(message.snapshot) });
  } else if (message === "stats") {
    const cpu = process.cpuUsage();
    process.send!({ cpuUs: cpu.user + cpu.system, gc: gc.read(), rssBytes: process.memoryUsage().rss });
  } else if (message === "stop") {
    gc.stop();
    void server.close().then(() => process.exit(0));
  }
});
// Never outlive the benchmark driver.
process.on("disconnect", () => process.exit(0));
process.send({ port: server.port });
