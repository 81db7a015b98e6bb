import { fork, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
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
// the codec micro-benchmark, BENCH_JSON=<file> also writes every sample there
// (scripts/suite-matrix.mjs reads it).

const ms = Number(process.env.BENCH_MS ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const stackIds = (process.env.BENCH_STACKS ?? Object.keys(stacks).join(",")).split(",");
const scenarioIds = (process.env.BENCH_SCENARIOS ?? scenarios.map((s) => s.id).join(",")).split(",");
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Stats {
  cpuUs: number;
  gc: { major: number; minor: number; ms: number };
}
interface ServerStats extends Stats {
  rssBytes: number;
}
interface ClientReport extends Stats {
  ops: number;
  seconds: number;
  latencies: number[];
  clientRssGrowthBytes?: number;
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
      const reply = once<ServerStats>(child);
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

type Server = Awaited<ReturnType<typeof startServer>>;

/**
 * Runs one client process; while a memory scenario holds its streams open,
 * reads the server's resident set (`serverRssBytes`).
 */
async function runClient(stack: string, scenario: string, server: Server): Promise<ClientReport & { serverRssBytes?: number | undefined }> {
  const child = fork(here("./client-process.js"), [stack, scenario, String(server.port), String(ms)], { stdio: "inherit" });
  let serverRssBytes: number | undefined;
  for (;;) {
    const message = await once<ClientReport | { hold: true }>(child);
    if (!("hold" in message)) return { ...message, serverRssBytes };
    serverRssBytes = (await server.stats()).rssBytes;
    child.send("release");
  }
}

/** One measured run: client figures plus the server's CPU, GCs and memory meanwhile. */
interface Sample {
  rate: number;
  p50: number;
  p99: number;
  cpuPerOpUs: number;
  majorGcPer1k: number;
  minorGcPer1k: number;
  /** GC pause time of client and server as a share of their CPU time. */
  gcShare: number;
  /** Memory scenarios: resident-set growth per held stream, server and client, in KiB. */
  serverKiBPerStream: number;
  clientKiBPerStream: number;
}

/** What BENCH_JSON receives: the run's conditions and every sample. */
interface SuiteJson {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  ms: number;
  rounds: number;
  stacks: { id: string; name: string }[];
  codec?: Record<string, { encode: number; decode: number }>;
  scenarios: { id: string; title: string; unit: string; samples: Record<string, Sample[]> }[];
}

/** The figures of one run of a client against its server. */
function sampleOf(report: ClientReport & { serverRssBytes?: number | undefined }, before: ServerStats, after: ServerStats): Sample {
  const ops = Math.max(1, report.ops);
  const sorted = [...report.latencies].sort((a, b) => a - b);
  const cpuUs = report.cpuUs + after.cpuUs - before.cpuUs;
  const gcMs = report.gc.ms + after.gc.ms - before.gc.ms;
  const perStreamKiB = (bytes: number | undefined) => (bytes === undefined ? NaN : bytes / 1024 / ops);
  return {
    rate: report.ops / report.seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    cpuPerOpUs: cpuUs / ops,
    majorGcPer1k: ((report.gc.major + after.gc.major - before.gc.major) * 1000) / ops,
    minorGcPer1k: ((report.gc.minor + after.gc.minor - before.gc.minor) * 1000) / ops,
    gcShare: cpuUs > 0 ? (gcMs * 1000) / cpuUs : NaN,
    serverKiBPerStream: perStreamKiB(report.serverRssBytes === undefined ? undefined : report.serverRssBytes - before.rssBytes),
    clientKiBPerStream: perStreamKiB(report.clientRssGrowthBytes),
  };
}

async function main(): Promise<void> {
  const json: SuiteJson = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "cpu",
    ms,
    rounds,
    stacks: stackIds.map((id) => ({ id, name: stacks[id]!.name })),
    scenarios: [],
  };
  console.log(`Stubwright benchmarks — ${json.date}, Node ${json.node}, ${json.cpus} × ${json.cpuModel}`);
  console.log(`runs of ${ms} ms, medians of ${rounds} rounds, stacks alternating; ratios are to the first column (baseline)\n`);
  if (process.env.BENCH_CODEC !== "0") {
    const codec = await runCodecBench();
    json.codec = codec.rates;
    console.log(codec.table);
    console.log();
  }
  const servers = new Map<string, Server>();
  for (const id of stackIds) servers.set(id, await startServer(id));
  try {
    for (const scenario of scenarios.filter((s) => scenarioIds.includes(s.id))) {
      const samples = new Map<string, Sample[]>(stackIds.map((id) => [id, []]));
      // Memory is read once per stack: it is a size, not a rate that load moves.
      for (let round = 0; round < (scenario.memory === true ? 1 : rounds); round++) {
        const order = round % 2 === 0 ? stackIds : [...stackIds].reverse();
        for (const id of order) {
          const server = servers.get(id)!;
          const before = await server.stats();
          const report = await runClient(id, scenario.id, server);
          const after = await server.stats();
          samples.get(id)!.push(sampleOf(report, before, after));
        }
      }
      json.scenarios.push({ id: scenario.id, title: scenario.title, unit: scenario.unit, samples: Object.fromEntries(samples) });
      // Written after every scenario, so that an interrupted run keeps what it measured.
      if (process.env.BENCH_JSON !== undefined) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(json, null, 1)}\n`);
      console.log(
        formatTable(
          scenario.title,
          stackIds.map((id) => stacks[id]!.name),
          rowsOf(scenario, (f) => stackIds.map((id) => median(samples.get(id)!.map(f)))),
        ),
      );
      console.log();
    }
  } finally {
    for (const server of servers.values()) await server.stop();
  }
}

/** The printed rows of a scenario's table, from `pick` (the median of a figure, per stack). */
function rowsOf(scenario: (typeof scenarios)[number], pick: (f: (s: Sample) => number) => number[]): [string, number[], boolean][] {
  if (scenario.memory === true) {
    return [
      ["server RSS growth, KiB/stream", pick((s) => s.serverKiBPerStream), false],
      ["client RSS growth, KiB/stream", pick((s) => s.clientKiBPerStream), false],
      ["streams opened/s", pick((s) => s.rate), true],
    ];
  }
  const rows: [string, number[], boolean][] = [[`${scenario.unit}/s`, pick((s) => s.rate), true]];
  if (scenario.latency) {
    rows.push(["p50 ms", pick((s) => s.p50), false], ["p99 ms", pick((s) => s.p99), false]);
  }
  rows.push([`CPU µs/${scenario.unit === "calls" ? "call" : "msg"} (client+server)`, pick((s) => s.cpuPerOpUs), false]);
  if (scenario.gc === true) {
    rows.push(
      ["major GCs / 1k calls", pick((s) => s.majorGcPer1k), false],
      ["minor GCs / 1k calls", pick((s) => s.minorGcPer1k), false],
      ["GC time, % of CPU", pick((s) => s.gcShare * 100), false],
    );
  }
  return rows;
}

await main();
