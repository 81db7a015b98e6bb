import { encodeLargeOrder } from "./order-fixture.js";
import type { BenchClient, SmallValue } from "./stacks/stack.js";

/** What one timed run measured on the client side. */
export interface RunResult {
  /** Completed operations (calls, or messages for streaming). */
  readonly ops: number;
  readonly seconds: number;
  /** Per-operation latencies in ms (only for latency scenarios). */
  readonly latencies: number[];
  /** How much the client's resident set grew while the scenario held its streams open (memory scenarios). */
  readonly clientRssGrowthBytes?: number;
}

/** A scenario: what it measures, and how to drive a client for a time. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** The unit of `ops`. */
  readonly unit: "calls" | "msgs" | "streams";
  readonly latency: boolean;
  /** Report GC counts and GC time (large messages). */
  readonly gc?: boolean;
  /** A memory scenario: the client's and server's resident set while streams are held open, no warm-up run. */
  readonly memory?: boolean;
  /**
   * Runs the scenario for about `ms`. Memory scenarios call `hold` once
   * everything they measure is open, and close it when `hold` resolves.
   */
  run(client: BenchClient, ms: number, hold?: () => Promise<void>): Promise<RunResult>;
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
const blob1m = new Uint8Array(1024 * 1024).fill(7);
const order64k = encodeLargeOrder(64 * 1024);

/** Messages on one long stream: 25 per ms of the run's length (about the run's length at 25,000 messages/s). */
const longStreamCount = (ms: number) => Math.max(1000, Math.round(ms * 25));

/** Streams the memory scenario holds open at once (BENCH_HELD_STREAMS, for smoke runs). */
const heldStreams = Number(process.env.BENCH_HELD_STREAMS ?? 10_000);

/** One long stream (of either direction): messages/s over the whole stream, start-up included. */
async function oneStream(ms: number, send: (count: number) => Promise<number>): Promise<RunResult> {
  const start = performance.now();
  const ops = await send(longStreamCount(ms));
  return { ops, seconds: (performance.now() - start) / 1000, latencies: [] };
}

/** Opens `count` bidi streams, each answered once, and holds them open while the resident sets are read. */
async function holdStreams(client: BenchClient, count: number, hold?: () => Promise<void>): Promise<RunResult> {
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  const streams = Array.from({ length: count }, () => client.pingPong());
  await Promise.all(streams.map((stream) => stream.ping(small)));
  const seconds = (performance.now() - start) / 1000;
  const clientRssGrowthBytes = process.memoryUsage().rss - rssBefore;
  await hold?.();
  for (const stream of streams) stream.close();
  return { ops: count, seconds, latencies: [], clientRssGrowthBytes };
}

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
    title: "unary 64 KiB, mostly one bytes field, concurrency 10",
    unit: "calls",
    latency: false,
    gc: true,
    run: (c, ms) => loop(10, ms, () => c.blob(blob64k).then(() => 1), false),
  },
  {
    id: "unary-64k-order",
    title: `unary 64 KiB of many fields (an Order of ${order64k.length} bytes), concurrency 10`,
    unit: "calls",
    latency: false,
    gc: true,
    run: (c, ms) => loop(10, ms, () => c.echo(order64k).then(() => 1), false),
  },
  {
    id: "unary-1m",
    title: "unary 1 MiB, mostly one bytes field, concurrency 2",
    unit: "calls",
    latency: false,
    gc: true,
    run: (c, ms) => loop(2, ms, () => c.blob(blob1m).then(() => 1), false),
  },
  { id: "stream", title: "server streaming, 1000 small msgs/call", unit: "msgs", latency: false, run: (c, ms) => loop(1, ms, () => c.stream(1000), false) },
  {
    id: "long-server-stream",
    title: "one long server stream of small msgs",
    unit: "msgs",
    latency: false,
    run: (c, ms) => oneStream(ms, (count) => c.stream(count)),
  },
  {
    id: "long-client-stream",
    title: "one long client stream of small msgs",
    unit: "msgs",
    latency: false,
    run: (c, ms) => oneStream(ms, (count) => c.upload(count)),
  },
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
  {
    id: "streams-10k",
    title: `${heldStreams.toLocaleString("en-US")} concurrent bidi streams, each answered once`,
    unit: "streams",
    latency: false,
    memory: true,
    run: (c, _ms, hold) => holdStreams(c, heldStreams, hold),
  },
];
