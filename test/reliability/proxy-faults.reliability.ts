import { Code, closeClient } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { kinds, type Kind } from "../support/call-kinds.js";
import { startFaultProxy, type FaultProxy } from "../support/tcp-proxy.js";
import { HangError, within } from "./bounded.js";
import { startEchoChild, type EchoChild } from "./echo-child.js";
import { startEchoCall, type EchoCallPlan, type EchoCallResult } from "./echo-calls.js";
import { callBoundMs, completeCalls, connectionLost, settleServer, truncatedStreamsSeenComplete, wrongAnswer, type ClientSide } from "./echo-section.js";
import { acceptedCodes, type ProxyFault } from "./expected-status.js";
import { createFigures, statusName } from "./figures.js";
import { activeHandles, handlesLeftAbove, livingPids, memoryGrowth } from "./leak-checks.js";
import { randomTools, rounds, sectionRandom } from "./reliability-options.js";
import { startedPids } from "./server-child.js";

/**
 * Network faults between a client (this process) and the echo server child,
 * injected by a TCP proxy while calls of every kind run: connection resets
 * and stalls while the handler is running (held until the fault decides the
 * call), and delayed or fragmented delivery of whole calls, which must then
 * succeed with exactly the right answers.
 */

interface Round {
  readonly plan: EchoCallPlan;
  readonly fault: ProxyFault;
  /** Delay per chunk (delay) or the largest piece (fragment). */
  readonly amount: number;
}

const figures = createFigures("proxy-faults");
const { int, pick } = randomTools(sectionRandom("proxy-faults"));
const plannedRounds = planRounds(rounds(48));

const clients = new Map<string, ClientSide & { readonly fault: ProxyFault }>();
const wrongStatus: string[] = [];
const wrongAnswers: string[] = [];
const hungCalls: string[] = [];
const unaware: string[] = [];
let hungHandlers: string[] = [];
const unhealthy: string[] = [];
let baseline: Record<string, number> = {};
let server: EchoChild | undefined;
let proxy: FaultProxy | undefined;
let client: EchoServiceClient | undefined;

function planRounds(count: number): Round[] {
  const faults: ProxyFault[] = ["reset", "stall", "delay", "fragment"];
  return Array.from({ length: count }, (_, index) => {
    const kind: Kind = kinds[index % kinds.length]!;
    const fault = faults[Math.floor(index / kinds.length) % faults.length]!;
    const decisive = fault === "reset" || fault === "stall";
    const plan: EchoCallPlan = {
      id: `proxy-${index}`,
      kind,
      // A held call can only end by its fault; a whole call must get through the slow path intact.
      hold: decisive,
      requests: int(1, 6),
      halfClose: !decisive,
      gapMs: pick([0, 1, 2]),
      repeat: int(1, 6),
      timeoutMs: fault === "stall" ? int(200, 800) : undefined,
    };
    return { plan, fault, amount: fault === "delay" ? int(1, 8) : int(1, 24) };
  });
}

async function runRound({ plan, fault, amount }: Round): Promise<void> {
  proxy!.shape({
    delayMs: fault === "delay" ? () => int(0, amount) : undefined,
    pieceBytes: fault === "fragment" ? () => int(1, amount) : undefined,
  });
  const call = startEchoCall(client!, plan, undefined);
  let halfClosedBeforeFault = false;
  if (fault === "reset" || fault === "stall") {
    // Strike once the handler runs (or the call ended first, e.g. a deadline passed on a loaded machine).
    await server!.started(plan.id, call.result, callBoundMs).catch(() => {});
    halfClosedBeforeFault = call.state.halfClosed;
    if (fault === "reset") proxy!.reset();
    else proxy!.stall();
  }
  figures.fault(`proxy ${fault}`);
  const result = await within(call.result, callBoundMs, `call ${plan.id} through a proxy ${fault}`).catch((error: unknown): EchoCallResult | undefined => {
    if (!(error instanceof HangError)) throw error;
    hungCalls.push(`${plan.id} (${plan.kind}, ${fault}): ${error.message}`);
    return undefined;
  });
  // A stalled connection would stall every later call: drop it, and let the client see it is gone.
  if (fault === "stall") proxy!.reset();
  if (fault === "stall" || fault === "reset") await connectionLost(client!);
  proxy!.shape({});
  if (result === undefined) return;
  // Nothing cut a delayed or fragmented call short: whether it half-closed is all there is to know.
  if (fault === "delay" || fault === "fragment") halfClosedBeforeFault = call.state.halfClosed;
  clients.set(plan.id, { plan, halfClosedBeforeFault, fault });
  figures.call(result.code);
  if (!acceptedCodes(fault).includes(result.code)) {
    wrongStatus.push(`${plan.id} (${plan.kind}, ${fault}): ${statusName(result.code)} ${result.message}`);
  } else if (result.code === Code.OK) {
    wrongAnswers.push(...wrongAnswer(plan, result));
  }
}

describe("a TCP proxy that resets, stalls, delays and fragments connections", () => {
  beforeAll(async () => {
    baseline = activeHandles();
    server = await startEchoChild();
    proxy = await startFaultProxy(server.port);
    client = createEchoServiceClient(`127.0.0.1:${proxy.port}`);
    unhealthy.push(...(await completeCalls(client, "warm-up", 3)));
    const before = await server.memory();
    for (const round of plannedRounds) await runRound(round);
    hungHandlers = await settleServer(client, server);
    for (const record of server.records.values()) {
      const side = clients.get(record.id);
      if (side === undefined || side.fault === "delay" || side.fault === "fragment") continue;
      // A held handler ends only when the call does: its signal must say so.
      if (record.abortCode === undefined) {
        unaware.push(`${record.id} (${record.method}, ${side.fault}): handler ${record.outcome}, request stream ${record.requestEnd}`);
      }
    }
    unhealthy.push(...(await completeCalls(client, "after", 1)));
    figures.memory("echo server", before, await server.memory());
    closeClient(client);
    proxy.close();
    await server.stop();
  });

  afterAll(async () => {
    proxy?.close();
    await server?.kill();
    figures.write();
  });

  it("every call ended with the status its fault calls for", () => {
    expect(figures.data.calls).toBe(plannedRounds.length);
    expect(wrongStatus).toEqual([]);
  });

  it("delayed and fragmented calls got exactly their answers", () => {
    expect(wrongAnswers).toEqual([]);
  });

  it("[issue 19 item 1] no handler saw a request stream cut by a fault as complete", () => {
    expect(truncatedStreamsSeenComplete(server!.records.values(), clients)).toEqual([]);
  });

  it("every handler cut off by a fault saw it and finished", () => {
    expect([...unaware, ...hungHandlers]).toEqual([]);
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
