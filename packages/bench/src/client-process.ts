import { startGcMeter } from "./gc-meter.js";
import { scenarios, type RunResult } from "./scenarios.js";
import { stacks } from "./stacks/index.js";

// Child process: connects one stack's client to a server on 127.0.0.1:<port>,
// warms up, runs one scenario for a time and reports through IPC. A memory
// scenario runs once, without warm-up, and while it holds its streams open it
// sends { hold: true } and waits for "release" (the driver reads the server's
// resident set meanwhile).
// Usage (by main.ts): fork client-process.js <stack> <scenario> <port> <ms>

const [stackId = "", scenarioId = "", port = "0", ms = "1000"] = process.argv.slice(2);
const stack = stacks[stackId];
const scenario = scenarios.find((s) => s.id === scenarioId);
if (stack === undefined || scenario === undefined || process.send === undefined) throw new Error("bad arguments");
const send = process.send.bind(process);

/** Tells the driver everything is open, and waits until it has looked. */
function hold(): Promise<void> {
  return new Promise((resolve) => {
    process.once("message", () => resolve());
    send({ hold: true });
  });
}

const client = stack.connect(Number(port));
let gc: ReturnType<typeof startGcMeter> | undefined;
let cpu0 = process.cpuUsage();
let result: RunResult;
try {
  if (scenario.memory !== true) await scenario.run(client, Math.min(500, Number(ms) / 3));
  gc = startGcMeter();
  cpu0 = process.cpuUsage();
  result = await scenario.run(client, Number(ms), hold);
} catch (error) {
  // A stack that cannot run a scenario (a server refusing 10,000 streams) reports no figures instead of
  // ending the whole suite: its cells print as "–".
  console.error(`${stack.name}, ${scenario.title}: ${error instanceof Error ? error.message : String(error)}`);
  result = { ops: 0, seconds: Number.NaN, latencies: [] };
}
const cpu = process.cpuUsage(cpu0);
// Let the last GC entries arrive.
await new Promise((resolve) => setTimeout(resolve, 20));
const gcCounts = gc?.read() ?? { major: 0, minor: 0, ms: 0 };
gc?.stop();
client.close();
send({ ...result, cpuUs: cpu.user + cpu.system, gc: gcCounts }, () => process.exit(0));
