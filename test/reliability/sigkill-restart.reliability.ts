import { setTimeout as sleep } from "node:timers/promises";
import { Code, closeClient } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { kinds, type Kind } from "../support/call-kinds.js";
import { within } from "./bounded.js";
import { startEchoChild, type EchoChild } from "./echo-child.js";
import { startEchoCall, type EchoCallPlan } from "./echo-calls.js";
import { callBoundMs, completeCalls, completePlan, wrongAnswer } from "./echo-section.js";
import { acceptedCodes } from "./expected-status.js";
import { createFigures, statusName } from "./figures.js";
import { activeHandles, handlesLeftAbove, livingPids } from "./leak-checks.js";
import { randomTools, rounds, sectionRandom } from "./reliability-options.js";
import { startedPids } from "./server-child.js";

/**
 * SIGKILL of the server process while calls of every kind are in its
 * handlers, then a restart on the same port: the calls must fail
 * UNAVAILABLE, and the same client must then get through to the new process.
 */

const figures = createFigures("sigkill-restart");
const { int, pick } = randomTools(sectionRandom("sigkill-restart"));
const plannedRounds = Array.from({ length: rounds(3) * kinds.length }, (_, index) => planRound(index, kinds[index % kinds.length]!));

const wrongStatus: string[] = [];
const neverStarted: string[] = [];
const notRecovered: string[] = [];
const unhealthy: string[] = [];
let baseline: Record<string, number> = {};
let server: EchoChild | undefined;
let client: EchoServiceClient | undefined;

function planRound(round: number, kind: Kind): EchoCallPlan[] {
  return Array.from({ length: int(1, 3) }, (_, call) => ({
    id: `kill-${round}-${call}`,
    kind,
    hold: true,
    requests: int(1, 4),
    halfClose: false,
    gapMs: pick([0, 1]),
    repeat: 0,
  }));
}

/** Starts the echo server on `port`; the kernel may need a moment to free it after a kill. */
async function restartOn(port: number): Promise<EchoChild> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEchoChild(`127.0.0.1:${port}`);
    } catch (error) {
      if (attempt >= 50 || !String(error).includes("EADDRINUSE")) throw error;
      await sleep(100);
    }
  }
}

/** Calls until one of `kind` succeeds (bounded); every failure on the way must be UNAVAILABLE. */
async function recover(kind: Kind, round: number): Promise<void> {
  const deadline = Date.now() + callBoundMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const plan = completePlan(`recover-${round}-${attempt}`, kind);
    const result = await within(startEchoCall(client!, plan, undefined).result, callBoundMs, `call ${plan.id}`);
    figures.call(result.code === Code.OK ? "OK (after restart)" : `${statusName(result.code)} (reconnecting)`);
    if (result.code === Code.OK) {
      unhealthy.push(...wrongAnswer(plan, result));
      return;
    }
    if (result.code !== Code.UNAVAILABLE) {
      notRecovered.push(`${plan.id}: ${statusName(result.code)} ${result.message} while reconnecting`);
      return;
    }
    await sleep(100);
  }
  notRecovered.push(`round ${round} (${kind}): no call succeeded within ${callBoundMs} ms of the restart`);
}

async function runRound(plans: readonly EchoCallPlan[], round: number): Promise<void> {
  const calls = plans.map((plan) => startEchoCall(client!, plan, undefined));
  // Kill only once every handler runs; a call that ends before its handler ran is a failure of its own.
  await Promise.all(
    plans.map(async (plan, index) => {
      try {
        await server!.started(plan.id, calls[index]!.result, callBoundMs);
        if (!server!.startedIds.has(plan.id)) neverStarted.push(`${plan.id} ended before its handler ran`);
      } catch (error) {
        neverStarted.push(`${plan.id}: ${String(error)}`);
      }
    }),
  );
  figures.fault("server SIGKILL");
  await server!.kill();
  const results = await within(Promise.all(calls.map((call) => call.result)), callBoundMs, `the calls of kill round ${round}`);
  results.forEach((result, index) => {
    figures.call(result.code);
    if (!acceptedCodes("sigkill").includes(result.code)) {
      wrongStatus.push(`${plans[index]!.id} (${plans[index]!.kind}): ${statusName(result.code)} ${result.message}`);
    }
  });
  figures.fault("server restart");
  server = await restartOn(server!.port);
  await recover(plans[0]!.kind, round);
}

describe("SIGKILL and restart of the server process mid-call", () => {
  beforeAll(async () => {
    baseline = activeHandles();
    server = await startEchoChild();
    client = createEchoServiceClient(`127.0.0.1:${server.port}`);
    unhealthy.push(...(await completeCalls(client, "warm-up", 1)));
    for (const [round, plans] of plannedRounds.entries()) await runRound(plans, round);
    unhealthy.push(...(await completeCalls(client, "after", 1)));
    closeClient(client);
    await server.stop();
  });

  afterAll(async () => {
    await server?.kill();
    figures.write();
  });

  it("every call in a killed server's handlers ended UNAVAILABLE", () => {
    expect(neverStarted).toEqual([]);
    expect(wrongStatus).toEqual([]);
  });

  it("the same client got through to the restarted server every time", () => {
    expect(notRecovered).toEqual([]);
    expect(unhealthy).toEqual([]);
  });

  it("leaves no child process, socket or timer behind", async () => {
    expect(livingPids(startedPids)).toEqual([]);
    expect(await handlesLeftAbove(baseline)).toEqual([]);
  });
});
