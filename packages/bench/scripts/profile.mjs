// `npm run bench:profile -- <stack> <scenario> [ms]`: where one stack spends its CPU in one scenario. The
// stack's server and a client run in their own processes under `--cpu-prof`, as in the suite, and the
// profiles are summed by where the code lives (grpc-js, Stubwright's runtime, the codec, Node, GC) and
// listed by function (self time), as shares of each process's busy time. For the memory scenario
// (streams-10k) the server writes a heap snapshot before the streams open and one while they are held,
// and the script lists what each held stream keeps, by constructor. Files stay in
// dist/profiles/<stack>-<scenario>/ for Chrome DevTools. With BENCH_PROFILE=alloc it samples allocations
// instead (collected objects included) and lists bytes allocated per operation, by place and by function.
// Needs `npm run build:bench` first.
import { fork } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [stack, scenario, ms = "3000"] = process.argv.slice(2);
if (stack === undefined || scenario === undefined) {
  console.error("usage: node scripts/profile.mjs <stack> <scenario> [ms]");
  process.exit(2);
}
const outDir = join(benchDir, "dist/profiles", `${stack}-${scenario}`);
rmSync(outDir, { recursive: true, force: true });

/** The next IPC message of `child`, or a rejection if it exits first. */
function nextMessage(child) {
  return new Promise((resolvePromise, reject) => {
    const onMessage = (message) => {
      child.off("exit", onExit);
      resolvePromise(message);
    };
    const onExit = (code) => {
      child.off("message", onMessage);
      reject(new Error(`child exited (${code}) before reporting`));
    };
    child.once("message", onMessage);
    child.once("exit", onExit);
  });
}

const memory = scenario === "streams-10k";
const allocations = process.env.BENCH_PROFILE === "alloc";

function profiled(script, args, name) {
  const dir = join(outDir, name);
  mkdirSync(dir, { recursive: true });
  const env = allocations ? { ...process.env, STUBWRIGHT_ALLOC_PROFILE: join(dir, "allocations.heapprofile") } : process.env;
  return fork(join(benchDir, "dist/src", script), args, { execArgv: profilingFlags(dir), env, stdio: "inherit" });
}

/** The Node flags of a profiled process in this run's mode (the heap-snapshot mode needs none). */
function profilingFlags(dir) {
  if (allocations) return ["--import", join(benchDir, "scripts/alloc-sampling.mjs")];
  return memory ? [] : ["--cpu-prof", `--cpu-prof-dir=${dir}`];
}

/** Has the server write a heap snapshot to `name` in the output folder. */
async function snapshot(server, name) {
  const reply = nextMessage(server);
  server.send({ snapshot: join(outDir, name) });
  return (await reply).snapshot;
}

const server = profiled("server-process.js", [stack], "server");
const { port } = await nextMessage(server);
const before = memory ? await snapshot(server, "before.heapsnapshot") : undefined;
const client = profiled("client-process.js", [stack, scenario, String(port), ms], "client");
const clientExit = new Promise((resolvePromise) => client.once("exit", resolvePromise));
let report;
let held;
for (;;) {
  const message = await nextMessage(client);
  if (!("hold" in message)) {
    report = message;
    break;
  }
  if (memory) held = await snapshot(server, "held.heapsnapshot");
  client.send("release");
}
await clientExit;
await new Promise((resolvePromise) => {
  server.once("exit", resolvePromise);
  server.send("stop");
});

/** Where a function's code lives. */
function placeOf(node) {
  const { url, functionName } = node.callFrame;
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)" || functionName === "(idle)") return functionName;
  if (url.includes("@grpc/grpc-js")) return "grpc-js";
  if (url.includes("@connectrpc")) return "connect";
  // Code compiled by `new Function` (the codec) has no URL but a script of its own; V8's builtins have neither.
  if (url === "" && String(node.callFrame.scriptId) === "0") return "native";
  if (url.includes("/runtime/dist/codec/") || url.startsWith("eval") || url === "") return "codec / eval";
  if (url.includes("/runtime/dist/")) return "stubwright runtime";
  if (url.includes("@bufbuild/protobuf")) return "protobuf-es";
  if (url.includes("/bench/dist/")) return "bench stack code";
  if (url.startsWith("node:")) return "node";
  return "other";
}

/** A function's name and where it is defined (package-relative), for the listings. */
function functionKey(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/packages\//, "")}:${lineNumber + 1}`;
}

/** Bytes allocated per operation in one process, by place and by allocating function. */
function summarizeAllocations(name, ops) {
  const profile = JSON.parse(readFileSync(join(outDir, name, "allocations.heapprofile"), "utf8"));
  const places = new Map();
  const functions = new Map();
  let total = 0;
  const visit = (node) => {
    const bytes = node.selfSize;
    if (bytes > 0) {
      const place = placeOf(node);
      const key = `[${place}] ${functionKey(node)}`;
      places.set(place, (places.get(place) ?? 0) + bytes);
      functions.set(key, (functions.get(key) ?? 0) + bytes);
      total += bytes;
    }
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  const perOp = (bytes) => `${(bytes / ops).toFixed(0).padStart(7)} B`;
  console.log(`\n${name}: ${perOp(total)} allocated per operation (the whole process, start-up included)`);
  for (const [place, bytes] of [...places].sort((a, b) => b[1] - a[1])) console.log(`  ${perOp(bytes)}  ${place}`);
  console.log("  top allocating functions:");
  for (const [key, bytes] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${perOp(bytes)}  ${key}`);
}

function summarize(name) {
  const dir = join(outDir, name);
  const file = readdirSync(dir).find((entry) => entry.endsWith(".cpuprofile"));
  if (file === undefined) throw new Error(`no profile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const places = new Map();
  const functions = new Map();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const place = placeOf(node);
    if (place === "(idle)") continue;
    busyUs += us;
    places.set(place, (places.get(place) ?? 0) + us);
    const key = functionKey(node);
    functions.set(key, { place, us: (functions.get(key)?.us ?? 0) + us });
  }
  const share = (us) => `${((100 * us) / busyUs).toFixed(1).padStart(5)} %`;
  console.log(`\n${name}: ${(busyUs / 1000).toFixed(0)} ms busy`);
  for (const [place, us] of [...places].sort((a, b) => b[1] - a[1])) console.log(`  ${share(us)}  ${place}`);
  console.log("  top functions (self time):");
  for (const [key, { place, us }] of [...functions].sort((a, b) => b[1].us - a[1].us).slice(0, 15)) {
    console.log(`  ${share(us)}  [${place}] ${key}`);
  }
}

/** Self size and count of every object in a heap snapshot, by node type and constructor name. */
function heapByConstructor(file) {
  const { snapshot: meta, nodes, strings } = JSON.parse(readFileSync(file, "utf8"));
  const fields = meta.meta.node_fields;
  const types = meta.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((field) => fields.indexOf(field));
  const totals = new Map();
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]];
    const name = type === "object" || type === "closure" || type === "native" ? strings[nodes[i + nameAt]] : "";
    const key = `${type} ${name}`.trim();
    const total = totals.get(key) ?? { bytes: 0, count: 0 };
    total.bytes += nodes[i + sizeAt];
    total.count += 1;
    totals.set(key, total);
  }
  return totals;
}

/** What the held streams added to the server's heap, per stream, largest first. */
function summarizeHeap(streams) {
  const start = heapByConstructor(before);
  const end = heapByConstructor(held);
  const rows = [...end]
    .map(([key, { bytes, count }]) => ({ key, bytes: bytes - (start.get(key)?.bytes ?? 0), count: count - (start.get(key)?.count ?? 0) }))
    .sort((a, b) => b.bytes - a.bytes);
  const totalBytes = rows.reduce((sum, row) => sum + row.bytes, 0);
  console.log(
    `\nserver heap added by ${streams} held streams: ${(totalBytes / streams / 1024).toFixed(2)} KiB per stream (JS heap; RSS also counts HTTP/2 and buffers outside it)`,
  );
  for (const row of rows.slice(0, 25)) {
    console.log(`  ${(row.bytes / streams).toFixed(0).padStart(6)} B  ${(row.count / streams).toFixed(2).padStart(6)} per stream  ${row.key}`);
  }
}

console.log(
  `${stack} × ${scenario}, ${ms} ms on Node ${process.version}: ${report.ops} ops in ${report.seconds.toFixed(2)} s (${(report.ops / report.seconds).toFixed(0)}/s)`,
);
if (memory) {
  summarizeHeap(report.ops);
} else if (allocations) {
  summarizeAllocations("server", report.ops);
  summarizeAllocations("client", report.ops);
} else {
  summarize("server");
  summarize("client");
}
console.log(`\nfiles: ${outDir}`);
