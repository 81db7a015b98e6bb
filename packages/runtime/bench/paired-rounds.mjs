// Paired rounds: the measuring method the end-to-end micro-benchmarks share.
// Figures of a few per cent drown in this machine's noise (identical runs
// differ by 10 % and more) unless the modes being compared run side by side,
// many times over, in one process, each round compared with itself.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");

/** A full collection; see {@link measure}. */
const collectGarbage = runInNewContext("gc");

/**
 * The order of four modes in each round, cycling through a Williams design:
 * every mode runs in every position, and right after every other mode, equally
 * often. With a fixed or merely reversed order, two modes always ran first or
 * last and the others in the middle, and that position alone made a mode look
 * 1.75 % dearer than an identical one over 301 rounds.
 */
const williamsOrders = [
  [0, 1, 3, 2],
  [1, 2, 0, 3],
  [2, 3, 1, 0],
  [3, 0, 2, 1],
];

/**
 * Runs `rounds` rounds of one batch per mode (exactly four modes, in a
 * Williams order), after `warmUps` untimed batches each (default one).
 * `batch(mode)` returns `{ wall, cpu }` seconds, as {@link measure} takes
 * them. Returns every mode's figures, round by round.
 */
export async function runPairedRounds(modeNames, rounds, batch, warmUps = 1) {
  if (modeNames.length !== 4) {
    throw new Error(`paired rounds need exactly four modes, got ${modeNames.length}`);
  }
  for (let round = 0; round < warmUps; round++) {
    for (const mode of modeNames) {
      await batch(mode); // warm up connections and the JIT
    }
  }
  const taken = Object.fromEntries(modeNames.map((mode) => [mode, []]));
  for (let index = 0; index < rounds; index++) {
    for (const position of williamsOrders[index % williamsOrders.length]) {
      const mode = modeNames[position];
      taken[mode].push(await batch(mode));
    }
  }
  return taken;
}

/** Makes `count` calls of `call()`, `concurrency` of them in flight at a time. */
export async function runConcurrently(count, concurrency, call) {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Measures `work()`: wall-clock and this process's CPU seconds (all threads),
 * after a full collection, so no batch pays for garbage another left behind:
 * where a major GC happened to land was the largest source of difference
 * between identical batches. Batches are timed where they run (in a child
 * process, for `bench:over-grpc-js --isolated`), so the collection is too.
 */
export async function measure(work) {
  collectGarbage();
  const begin = process.hrtime.bigint();
  const cpuBegin = process.cpuUsage();
  await work();
  const cpu = process.cpuUsage(cpuBegin);
  return { wall: Number(process.hrtime.bigint() - begin) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The median and its 95 % confidence interval: the order statistics whose
 * ranks bracket the median with that probability (normal approximation of
 * the binomial), valid whatever the distribution of the values.
 */
export function medianWithInterval(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const half = 0.98 * Math.sqrt(n);
  const low = Math.max(0, Math.floor(n / 2 - half));
  const high = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return { median: median(values), low: sorted[low], high: sorted[high] };
}

/**
 * "+3.11 % [1.64 % … 5.53 %]": the median of round-by-round ratios of
 * `clock` ("wall" or "cpu") between modes `a` and `b`, with its interval.
 */
export function ratioInterval(taken, a, b, clock) {
  const ratios = taken[a].map((figures, round) => figures[clock] / taken[b][round][clock]);
  const { median: m, low, high } = medianWithInterval(ratios);
  return `${percent(m)} [${percent(low)} … ${percent(high)}]`;
}

/** A ratio as a signed percentage: 1.0311 → "3.11 %". */
export function percent(ratio) {
  return `${((ratio - 1) * 100).toFixed(2)} %`;
}
