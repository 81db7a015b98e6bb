import { fork, type ChildProcess } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { runCodecBench } from "./codec-bench.js";
import { formatTable, median, percentile } from "./report.js";
import { scenarios } from "./scenarios.js";
import { stacks } from "./stacks/index.js";

// `npm run bench`: every stack's server runs in its own process; each timed
// run is a fresh client process over 127.0.0.1. Stacks alternate within each
// round (the order reverses every round) and figures are medians of rounds.
// Environment: BENCH_MS (run length, default 1500), BENCH_ROUNDS (default 3),
// BENCH_STACKS / BENCH_SCENARIOS (comma-separated ids), BENCH_CODEC=0 skips
// the codec micro-benchmark.

const ms = Number(process.env.BENCH_MS ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const stackIds = (process.env.BENCH_STACKS ?? Object.keys(stacks).join(",")).split(",");
const scenarioIds = (process.env.BENCH_SCENARIOS ?? scenarios.map((s) => s.id).join(",")).split(",");
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Stats {
  cpuUs: number;
  gc: { major: number; minor: number };
}
interface ClientReport extends Stats {
  ops: number;
  seconds: number;
  latencies: number[];
}

function once<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      cleanup();
      resolve(m as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited (${code}) before reporting`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("error", onExit);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("error", onExit);
    child.on("exit", onExit);
  });
}

async function startServer(id: string) {
  const child = fork(here("./server-process.js"), [id], { stdio: "inherit" });
  const { port } = await once<{ port: number }>(child);
  return {
    port,
    stats: () => {
      const reply = once<Stats>(child);
      child.send("stats");
      return reply;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send("stop");
      }),
  };
}

async function runClient(stack: string, scenario: string, port: number): Promise<ClientReport> {
  const child = fork(here("./client-process.js"), [stack, scenario, String(port), String(ms)], { stdio: "inherit" });
  return once<ClientReport>(child);
}

/** One measured run: client figures plus the server's CPU and GCs meanwhile. */
interface Sample {
  rate: number;
  p50: number;
  p99: number;
  cpuPerOpUs: number;
  majorGcPer1k: number;
  minorGcPer1k: number;
}

async function main(): Promise<void> {
  console.log(`Stubwright benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`);
  console.log(`runs of ${ms} ms, medians of ${rounds} rounds, stacks alternating; ratios are to the first column (baseline)\n`);
  if (process.env.BENCH_CODEC !== "0") {
    console.log(await runCodecBench());
    console.log();
  }
  const servers = new Map<string, Awaited<ReturnType<typeof startServer>>>();
  for (const id of stackIds) servers.set(id, await startServer(id));
  try {
    for (const scenario of scenarios.filter((s) => scenarioIds.includes(s.id))) {
      const samples = new Map<string, Sample[]>(stackIds.map((id) => [id, []]));
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? stackIds : [...stackIds].reverse();
        for (const id of order) {
          const server = servers.get(id)!;
          const before = await server.stats();
          const report = await runClient(id, scenario.id, server.port);
          const after = await server.stats();
          const ops = Math.max(1, report.ops);
          const sorted = [...report.latencies].sort((a, b) => a - b);
          samples.get(id)!.push({
            rate: report.ops / report.seconds,
            p50: percentile(sorted, 0.5),
            p99: percentile(sorted, 0.99),
            cpuPerOpUs: (report.cpuUs + after.cpuUs - before.cpuUs) / ops,
            majorGcPer1k: ((report.gc.major + after.gc.major - before.gc.major) * 1000) / ops,
            minorGcPer1k: ((report.gc.minor + after.gc.minor - before.gc.minor) * 1000) / ops,
          });
        }
      }
      const pick = (f: (s: Sample) => number) => stackIds.map((id) => median(samples.get(id)!.map(f)));
      const rows: [string, number[], boolean][] = [[`${scenario.unit}/s`, pick((s) => s.rate), true]];
      if (scenario.latency) {
        rows.push(["p50 ms", pick((s) => s.p50), false], ["p99 ms", pick((s) => s.p99), false]);
      }
      rows.push([`CPU µs/${scenario.unit === "calls" ? "call" : "msg"} (client+server)`, pick((s) => s.cpuPerOpUs), false]);
      if (scenario.id === "unary-64k") {
        rows.push(["major GCs / 1k calls", pick((s) => s.majorGcPer1k), false], ["minor GCs / 1k calls", pick((s) => s.minorGcPer1k), false]);
      }
      console.log(
        formatTable(
          scenario.title,
          stackIds.map((id) => stacks[id]!.name),
          rows,
        ),
      );
      console.log();
    }
  } finally {
    for (const server of servers.values()) await server.stop();
  }
}

await main();
