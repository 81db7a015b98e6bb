import type { BenchClient, SmallValue } from "./stacks/stack.js";

/** What one timed run measured on the client side. */
export interface RunResult {
  /** Completed operations (calls, or messages for streaming). */
  readonly ops: number;
  readonly seconds: number;
  /** Per-operation latencies in ms (only for latency scenarios). */
  readonly latencies: number[];
}

/** A scenario: what it measures, and how to drive a client for a time. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** The unit of `ops`. */
  readonly unit: "calls" | "msgs";
  readonly latency: boolean;
  run(client: BenchClient, ms: number): Promise<RunResult>;
}

const small: SmallValue = { id: 1234567890123n, name: "small message" };

async function loop(concurrency: number, ms: number, op: () => Promise<number>, latency: boolean): Promise<RunResult> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + ms;
  let ops = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const done = await op();
        ops += done;
        if (latency) latencies.push(performance.now() - t0);
      }
    }),
  );
  return { ops, seconds: (performance.now() - start) / 1000, latencies };
}

const blob1k = new Uint8Array(1024).fill(7);
const blob64k = new Uint8Array(64 * 1024).fill(7);

/** The scenarios, in the order the table lists them. */
export const scenarios: readonly Scenario[] = [
  { id: "unary-c1", title: "unary small, concurrency 1", unit: "calls", latency: true, run: (c, ms) => loop(1, ms, () => c.unary(small).then(() => 1), true) },
  {
    id: "unary-c100",
    title: "unary small, concurrency 100",
    unit: "calls",
    latency: false,
    run: (c, ms) => loop(100, ms, () => c.unary(small).then(() => 1), false),
  },
  {
    id: "unary-1k",
    title: "unary 1 KiB, concurrency 10",
    unit: "calls",
    latency: false,
    run: (c, ms) => loop(10, ms, () => c.blob(blob1k).then(() => 1), false),
  },
  {
    id: "unary-64k",
    title: "unary 64 KiB, concurrency 10",
    unit: "calls",
    latency: false,
    run: (c, ms) => loop(10, ms, () => c.blob(blob64k).then(() => 1), false),
  },
  { id: "stream", title: "server streaming, 1000 small msgs/call", unit: "msgs", latency: false, run: (c, ms) => loop(1, ms, () => c.stream(1000), false) },
  {
    id: "pingpong",
    title: "bidi ping-pong, one stream",
    unit: "msgs",
    latency: true,
    async run(c, ms) {
      const stream = c.pingPong();
      try {
        return await loop(1, ms, () => stream.ping(small).then(() => 1), true);
      } finally {
        stream.close();
      }
    },
  },
];
