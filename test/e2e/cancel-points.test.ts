import { Code } from "@stubwright/runtime";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { planCalls, runPlans, seededRandom, type CallPlan, type ClientOutcome } from "../support/cancel-points.js";
import { killAllChildren, startNodeServer } from "../support/interop-processes.js";
import { runRawPlans } from "../support/raw-grpc-calls.js";

// A client that cancels a client-streaming or bidi call must never leave the
// handler believing it read the whole request stream: its request iterator
// throws, it never ends normally. Timing between client and server decides
// how a cancellation reaches the handler, so the server runs in a process of
// its own (test/support/cancel-points-server.mjs) and the client cancels at
// many points: after 0-8 messages, in the middle of a write, a few event-loop
// turns later, by signal, deadline, a failing request iterable or (bidi) by
// no longer reading. Half-closed calls are the control: always seen complete.
//
// grpc-js's client half-closes an idle request stream (END_STREAM) before it
// resets it when it cancels (it closes the HTTP/2 stream with
// `close(NGHTTP2_CANCEL)`, and Node ends the writable side first), in two
// writes that can arrive apart: no server can tell that half-close from a
// real one (see the server's checkHalfClose). So a client that resets without
// half-closing, as grpc-go and grpc-java do, holds the server to "never";
// with Stubwright's own client, built on grpc-js, the server also records
// what arrived, and a normal end must follow a real END_STREAM.
//
// STUBWRIGHT_CANCEL_POINTS=5000 runs a longer soak; STUBWRIGHT_CANCEL_SEED
// replays a run (the seed is printed with every failure).

const serverScript = resolve(dirname(fileURLToPath(import.meta.url)), "../support/cancel-points-server.mjs");
const cancelPoints = Number(process.env.STUBWRIGHT_CANCEL_POINTS ?? 500);
const controls = Math.max(24, Math.ceil(cancelPoints / 12));
const seed = Number(process.env.STUBWRIGHT_CANCEL_SEED ?? Math.floor(Math.random() * 2 ** 32));
const replay = `seed ${seed} (STUBWRIGHT_CANCEL_SEED=${seed} replays it)`;

/** How a server handler's request stream ended. */
interface HandlerRecord {
  readonly outcome: "ended" | "threw" | "closed";
  readonly count: number;
  readonly code?: number;
}

/** What arrived on the HTTP/2 stream: END_STREAM while it was open (before any reset), and the reset code. */
interface WireRecord {
  readonly halfClosed: boolean;
  readonly rstCode?: number;
}

/** One run: the plans, how the client saw each call end, and what the server recorded. */
interface Run {
  readonly plans: readonly CallPlan[];
  readonly client: Map<number, ClientOutcome>;
  readonly handler: Record<string, HandlerRecord>;
  readonly wire: Record<string, WireRecord>;
}

type Runner = (address: string, plans: readonly CallPlan[], concurrency: number, roundSize: number) => Promise<Map<number, ClientOutcome>>;

afterAll(() => killAllChildren());

describe("cancelled request streams, client and server in separate processes", () => {
  it(`a client that resets the stream: the handler never sees it end normally (${cancelPoints} cancel points)`, { timeout: 120_000 }, async () => {
    const run = await runAgainstServer(runRawPlans, seed);
    const cancelled = run.plans.filter((plan) => plan.ending !== "half-close");
    expect(seenComplete(run, cancelled), `cancelled streams a handler saw end normally, ${replay}`).toEqual([]);
    checkCancelledRun(run, cancelled);
    checkControls(run);
    console.log(`reset-only client: ${summary(run, cancelled)}; ${replay}`);
  });

  it(`the Stubwright client: a handler sees a normal end only after the client's END_STREAM (${cancelPoints} cancel points)`, {
    timeout: 120_000,
  }, async () => {
    const run = await runAgainstServer(runPlans, seed + 1);
    const cancelled = run.plans.filter((plan) => plan.ending !== "half-close");
    const withoutHalfClose = cancelled.filter((plan) => run.wire[plan.id]?.halfClosed !== true);
    expect(seenComplete(run, withoutHalfClose), `streams reset without END_STREAM that a handler saw end normally, ${replay}`).toEqual([]);
    checkCancelledRun(run, cancelled);
    checkControls(run);
    const halfClosedFirst = cancelled.filter((plan) => run.wire[plan.id]?.halfClosed === true).length;
    console.log(
      `Stubwright client: ${summary(run, cancelled)}; ${halfClosedFirst} cancels arrived as END_STREAM before RST_STREAM (grpc-js), ${seenComplete(run, cancelled).length} of them seen complete; ${replay}`,
    );
  });
});

/** Starts the server process, runs the plans against it, stops it gracefully and reads its records. */
async function runAgainstServer(runner: Runner, runSeed: number): Promise<Run> {
  const plans = planCalls(cancelPoints, controls, seededRandom(runSeed));
  const server = await startNodeServer(serverScript, [], "cancel-points server");
  const client = await runner(`127.0.0.1:${server.port}`, plans, 8, 100).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  // A graceful stop: the server waits for every handler, then prints what each saw.
  const stopped = await server.stop(30_000);
  const line = /^records (.*)$/m.exec(stopped.stdout);
  expect(line, `server output: ${stopped.stdout}\n${stopped.stderr}`).not.toBeNull();
  const { records, wire } = JSON.parse(line![1]!) as { records: Record<string, HandlerRecord>; wire: Record<string, WireRecord> };
  return { plans, client, handler: records, wire };
}

/** The plans among `plans` whose handler saw the request stream end normally. */
function seenComplete(run: Run, plans: readonly CallPlan[]): string[] {
  return plans.filter((plan) => run.handler[plan.id]?.outcome === "ended").map((plan) => describePlan(run, plan));
}

/** Cancelled calls: handlers failed with CANCELLED or DEADLINE_EXCEEDED, and every call that waited for the handler reached it. */
function checkCancelledRun(run: Run, cancelled: readonly CallPlan[]): void {
  const wrongCodes = cancelled.filter((plan) => {
    const record = run.handler[plan.id];
    return record?.outcome === "threw" && record.code !== Code.CANCELLED && record.code !== Code.DEADLINE_EXCEEDED;
  });
  expect(
    wrongCodes.map((plan) => describePlan(run, plan)),
    `cancelled streams that failed with another code, ${replay}`,
  ).toEqual([]);
  // Calls that waited for the handler's headers reached it: each is a cancel point a handler saw.
  const unreached = cancelled.filter((plan) => plan.waitForHeader && plan.ending !== "deadline" && run.handler[plan.id] === undefined);
  expect(
    unreached.map((plan) => describePlan(run, plan)),
    replay,
  ).toEqual([]);
  const reached = cancelled.filter((plan) => run.handler[plan.id] !== undefined);
  expect(reached.length).toBeGreaterThanOrEqual(cancelPoints * (5 / 6));
}

/** Half-closed calls: every handler read every message and ended normally, and the client got the answer. */
function checkControls(run: Run): void {
  const controlPlans = run.plans.filter((plan) => plan.ending === "half-close");
  expect(controlPlans.length).toBe(controls);
  const incomplete = controlPlans.filter((plan) => run.handler[plan.id]?.outcome !== "ended" || run.handler[plan.id]?.count !== plan.messages);
  expect(
    incomplete.map((plan) => describePlan(run, plan)),
    `half-closed streams a handler did not see complete, ${replay}`,
  ).toEqual([]);
  const failed = controlPlans.filter((plan) => run.client.get(plan.id)?.code !== Code.OK || run.client.get(plan.id)?.count !== plan.messages);
  expect(
    failed.map((plan) => `${describePlan(run, plan)} client ${JSON.stringify(run.client.get(plan.id))}`),
    replay,
  ).toEqual([]);
}

function describePlan(run: Run, plan: CallPlan): string {
  const when = `${plan.messages} messages + ${plan.turns} turns${plan.waitForHeader ? "" : " (early)"}`;
  return `#${plan.id} ${plan.kind} ${plan.ending} after ${when}: handler ${JSON.stringify(run.handler[plan.id])}, wire ${JSON.stringify(run.wire[plan.id])}`;
}

function summary(run: Run, cancelled: readonly CallPlan[]): string {
  const counts = new Map<string, number>();
  for (const plan of cancelled) {
    const record = run.handler[plan.id];
    const key = record === undefined ? "not reached" : record.outcome === "threw" ? `threw ${Code[record.code ?? Code.UNKNOWN]}` : record.outcome;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const outcomes = [...counts].map(([key, count]) => `${key} ${count}`).join(", ");
  return `${cancelled.length} cancel points (${outcomes}), ${run.plans.length - cancelled.length} half-closed controls complete`;
}
