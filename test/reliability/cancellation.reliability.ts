import { Code, closeClient } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { kinds, type Kind } from "../support/call-kinds.js";
import { HangError, forEachLimited, within } from "./bounded.js";
import { startEchoChild, type EchoChild } from "./echo-child.js";
import { startEchoCall, type EchoCallPlan, type EchoCallResult } from "./echo-calls.js";
import { callBoundMs, completeCalls, settleServer, truncatedStreamsSeenComplete, type ClientSide } from "./echo-section.js";
import { acceptedCodes } from "./expected-status.js";
import { createFigures, statusName } from "./figures.js";
import { activeHandles, handlesLeftAbove, livingPids, memoryGrowth } from "./leak-checks.js";
import { randomTools, rounds, sectionRandom } from "./reliability-options.js";
import { startedPids } from "./server-child.js";

/**
 * Random cancellation points: the client cancels calls of every kind, each
 * held open by the server (or by an open request stream) so that CANCELLED is
 * the only right outcome, at a point drawn from the seed: before the call
 * starts, synchronously, a microtask or a macrotask later, after a timer,
 * once the handler runs, after some responses, in the middle of the request
 * stream, or after the client half-closed.
 */

type Trigger =
  | { readonly at: "before-start" | "sync" | "microtask" | "macrotask" | "handler-started" }
  | { readonly at: "timer"; readonly ms: number }
  | { readonly at: "response"; readonly count: number }
  | { readonly at: "request"; readonly index: number }
  | { readonly at: "after-half-close"; readonly ms: number };

interface Round {
  readonly plan: EchoCallPlan;
  readonly trigger: Trigger;
}

const figures = createFigures("cancellation");
const { int, pick, chance } = randomTools(sectionRandom("cancellation"));
const plannedRounds = planRounds(rounds(160));

const clients = new Map<string, ClientSide & { readonly trigger: Trigger }>();
const wrongStatus: string[] = [];
const hungCalls: string[] = [];
let hungHandlers: string[] = [];
const unhealthy: string[] = [];
let baseline: Record<string, number> = {};
let server: EchoChild | undefined;
let client: EchoServiceClient | undefined;

/**
 * Cancellation in the same turn of the event loop as the call started (or a
 * microtask later), before grpc-js has opened its HTTP/2 stream. grpc-js
 * 1.14.7 then still sends the whole request (HEADERS, DATA, END_STREAM) and
 * never resets the stream, so the server runs the call as if nothing
 * happened; the suite checks these apart from calls cancelled under way.
 */
function cancelledAsItStarted(trigger: Trigger): boolean {
  return trigger.at === "sync" || trigger.at === "microtask" || (trigger.at === "request" && trigger.index === 0);
}

/** The records (and hung handlers) of calls whose cancellation came as they started, or under way. */
function serverSide(asItStarted: boolean) {
  const matches = (id: string): boolean => {
    const side = clients.get(id);
    return side !== undefined && cancelledAsItStarted(side.trigger) === asItStarted;
  };
  const records = [...server!.records.values()].filter((record) => matches(record.id));
  const unaware = records
    .filter((record) => record.abortCode !== Code.CANCELLED && record.requestCode !== Code.CANCELLED)
    .map(
      (record) =>
        `${record.id} (${record.method}, cancel ${JSON.stringify(clients.get(record.id)!.trigger)}): handler ${record.outcome}, signal ${record.abortCode}, request stream ${record.requestEnd} after ${record.count}`,
    );
  const hung = hungHandlers.filter(matches).map((id) => `${id} (cancel ${JSON.stringify(clients.get(id)!.trigger)}): the handler never finished`);
  return { records, unaware, hung };
}

function planRounds(count: number): Round[] {
  return Array.from({ length: count }, (_, index) => {
    const kind: Kind = kinds[index % kinds.length]!;
    const streamsRequests = kind === "client_streaming" || kind === "bidi_streaming";
    const requests = int(1, 8);
    const halfClose = streamsRequests && chance(0.2);
    const plan: EchoCallPlan = { id: `cancel-${index}`, kind, hold: true, requests, halfClose, gapMs: pick([0, 0, 1, 3]), repeat: 0 };
    return { plan, trigger: halfClose ? { at: "after-half-close", ms: int(0, 5) } : pickTrigger(kind, requests) };
  });
}

function pickTrigger(kind: Kind, requests: number): Trigger {
  const common: Trigger[] = [
    { at: "before-start" },
    { at: "sync" },
    { at: "microtask" },
    { at: "macrotask" },
    { at: "handler-started" },
    { at: "timer", ms: int(0, 20) },
  ];
  const responses: Trigger[] =
    kind === "server_streaming" || kind === "bidi_streaming" ? [{ at: "response", count: int(1, kind === "bidi_streaming" ? requests : 5) }] : [];
  const cuts: Trigger[] =
    kind === "client_streaming" || kind === "bidi_streaming"
      ? [
          { at: "request", index: int(0, requests) },
          { at: "request", index: int(0, requests) },
        ]
      : [];
  return pick([...common, ...responses, ...cuts]);
}

async function runRound({ plan, trigger }: Round): Promise<void> {
  const controller = new AbortController();
  let halfClosedBeforeFault = false;
  let state = { halfClosed: false };
  const abort = (): void => {
    if (controller.signal.aborted) return;
    halfClosedBeforeFault = state.halfClosed;
    controller.abort();
  };
  if (trigger.at === "before-start") abort();
  const call = startEchoCall(client!, plan, controller.signal, {
    beforeRequest: trigger.at === "request" ? (index) => index === trigger.index && abort() : undefined,
    onResponse: trigger.at === "response" ? (count) => count >= trigger.count && abort() : undefined,
    onHalfClose: trigger.at === "after-half-close" ? () => void setTimeout(abort, trigger.ms) : undefined,
  });
  state = call.state;
  switch (trigger.at) {
    case "sync":
      abort();
      break;
    case "microtask":
      queueMicrotask(abort);
      break;
    case "macrotask":
      setImmediate(abort);
      break;
    case "timer":
      setTimeout(abort, trigger.ms);
      break;
    case "handler-started":
      // If the handler never starts within the bound, cancel anyway: the status check still applies.
      void server!.started(plan.id, call.result, callBoundMs).then(abort, abort);
      break;
  }
  figures.fault(`client cancel: ${trigger.at}`);
  const result = await within(call.result, callBoundMs, `cancelled call ${plan.id}`).catch((error: unknown): EchoCallResult | undefined => {
    if (!(error instanceof HangError)) throw error;
    hungCalls.push(`${plan.id} (${plan.kind}, cancel ${trigger.at}): ${error.message}`);
    return undefined;
  });
  if (result === undefined) return;
  clients.set(plan.id, { plan, halfClosedBeforeFault, trigger });
  figures.call(result.code);
  if (!acceptedCodes("client-cancel").includes(result.code)) {
    wrongStatus.push(`${plan.id} (${plan.kind}, cancel ${JSON.stringify(trigger)}): ${statusName(result.code)} ${result.message}`);
  }
}

describe("random cancellation points, client and server in separate processes", () => {
  beforeAll(async () => {
    baseline = activeHandles();
    server = await startEchoChild();
    client = createEchoServiceClient(`127.0.0.1:${server.port}`);
    unhealthy.push(...(await completeCalls(client, "warm-up", 3)));
    const before = await server.memory();
    await forEachLimited(plannedRounds, 4, runRound);
    hungHandlers = await settleServer(client, server);
    unhealthy.push(...(await completeCalls(client, "after", 1)));
    figures.memory("echo server", before, await server.memory());
    closeClient(client);
    await server.stop();
  });

  afterAll(async () => {
    await server?.kill();
    figures.write();
  });

  it("every cancelled call ended CANCELLED on the client", () => {
    expect(figures.data.calls).toBe(plannedRounds.length);
    expect(wrongStatus).toEqual([]);
  });

  // grpc-js's client (Stubwright's too) cancels by closing the HTTP/2 stream, and Node then sends
  // END_STREAM before RST_STREAM when the request side is idle, sometimes in separate writes: the
  // server receives a complete upload first and no server can tell it from one (see
  // docs/reliability.md). Such calls are counted here, not asserted; the invariant itself is
  // asserted on the wire by test/e2e/cancel-points.test.ts, and for clients that reset alone by
  // bad-input's RST_STREAM rounds.
  it("every handler of a call cancelled under way finished; those that saw a complete upload are counted", () => {
    const { records, unaware, hung } = serverSide(false);
    expect(hung).toEqual([]);
    noteHalfClosedFirst("under way", truncatedStreamsSeenComplete(records, clients), unaware);
  });

  it("every handler of a call cancelled as it started finished; those that saw a complete upload are counted", () => {
    const { records, unaware, hung } = serverSide(true);
    expect(hung).toEqual([]);
    noteHalfClosedFirst("as it started", truncatedStreamsSeenComplete(records, clients), unaware);
  });

  it("no call hung", () => {
    expect(hungCalls).toEqual([]);
  });

  it("the server answered normally before and after, and its memory did not grow", () => {
    expect(unhealthy).toEqual([]);
    expect(memoryGrowth(figures.data.memory[0]!)).toEqual([]);
  });

  it("leaves no child process, socket or timer behind", async () => {
    expect(livingPids(startedPids)).toEqual([]);
    expect(await handlesLeftAbove(baseline)).toEqual([]);
  });
});

/** Reports the calls whose cancellation reached the server as END_STREAM first (grpc-js's client). */
function noteHalfClosedFirst(when: string, seenComplete: readonly string[], unaware: readonly string[]): void {
  if (seenComplete.length > 0 || unaware.length > 0) {
    figures.note(
      `grpc-js client: END_STREAM before RST_STREAM on cancel (cancelled ${when}): ${seenComplete.length} request stream(s) seen complete, ${unaware.length} handler(s) never saw the cancellation`,
    );
  }
}
