import { setTimeout as sleep } from "node:timers/promises";
import { connectivityState } from "@grpc/grpc-js";
import { Code } from "@stubwright/runtime";
import { getGrpcClient } from "@stubwright/runtime/channel";
import { kinds, type Kind } from "../support/call-kinds.js";
import { within } from "./bounded.js";
import type { CallRecord, EchoChild } from "./echo-child.js";
import { expectedResponses, startEchoCall, type EchoCallPlan, type EchoCallResult } from "./echo-calls.js";
import type { EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";

/** Bound on one call's settling after its fault; only a hang takes this long. */
export const callBoundMs = 30_000;

/** A plan for a call that is answered normally (no hold, streams half-close). */
export function completePlan(id: string, kind: Kind, requests = 3, repeat = 3): EchoCallPlan {
  return { id, kind, hold: false, requests, halfClose: true, gapMs: 0, repeat };
}

/**
 * Makes `rounds` complete calls of every kind and checks their answers: a
 * warm-up before the "before" memory sample, and a check that the server
 * still serves after faults. Returns a description of each wrong answer.
 */
export async function completeCalls(client: EchoServiceClient, prefix: string, rounds: number): Promise<string[]> {
  const problems: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      const plan = completePlan(`${prefix}-${kind}-${round}`, kind);
      const result = await within(startEchoCall(client, plan, undefined).result, callBoundMs, `call ${plan.id}`);
      problems.push(...wrongAnswer(plan, result));
    }
  }
  return problems;
}

/** What is wrong with the answer to a call that should have succeeded (nothing: []). */
export function wrongAnswer(plan: EchoCallPlan, result: EchoCallResult): string[] {
  if (result.code !== Code.OK) {
    return [`${plan.id} (${plan.kind}) failed with ${result.code}: ${result.message}`];
  }
  const expected = JSON.stringify(expectedResponses(plan));
  const actual = JSON.stringify(result.responses);
  return expected === actual ? [] : [`${plan.id} (${plan.kind}) answered ${actual}, expected ${expected}`];
}

/**
 * Waits until every call the server started has finished: one ordinary call
 * first (the server reads a connection's frames in order, so every earlier
 * call, and its cancellation, has reached it by then), then the in-flight
 * count must fall to zero, which takes a few turns of its event loop; the
 * bound only catches handlers that never finish. Returns their ids.
 */
export async function settleServer(client: EchoServiceClient, server: EchoChild, boundMs = 10_000): Promise<string[]> {
  await within(startEchoCall(client, completePlan("barrier", "unary"), undefined).result, callBoundMs, "the barrier call");
  const deadline = Date.now() + boundMs;
  while ((await server.inflight()) > 0 && Date.now() < deadline) {
    await sleep(50);
  }
  return [...server.startedIds].filter((id) => !server.records.has(id));
}

/** What the client knew about a call's request stream when its fault struck. */
export interface ClientSide {
  readonly plan: EchoCallPlan;
  /** Whether the client had half-closed (ended its request stream) before the fault. */
  readonly halfClosedBeforeFault: boolean;
}

/**
 * The item-1 property of issue 19: a handler may see its request stream end
 * normally only if the client half-closed before the fault and the handler
 * read every request. Returns a description of each record that breaks it.
 */
export function truncatedStreamsSeenComplete(records: Iterable<CallRecord>, clients: ReadonlyMap<string, ClientSide>): string[] {
  const problems: string[] = [];
  for (const record of records) {
    const client = clients.get(record.id);
    if (client === undefined || record.requestEnd !== "normal") continue;
    if (!client.halfClosedBeforeFault || record.count !== client.plan.requests) {
      problems.push(
        `${record.id} (${record.method}): the handler's request stream ended normally after ${record.count} of ${client.plan.requests} requests, ` +
          `but the client ${client.halfClosedBeforeFault ? "sent them all" : "never half-closed"}`,
      );
    }
  }
  return problems;
}

/**
 * Resolves once the client's channel is no longer READY: after the proxy cut
 * its connection, the next call then dials a new one instead of landing on
 * the dead one (which would fail it UNAVAILABLE, rightly, but not by plan).
 */
export async function connectionLost(client: EchoServiceClient, boundMs = 30_000): Promise<void> {
  const channel = getGrpcClient(client).getChannel();
  const deadline = Date.now() + boundMs;
  while (channel.getConnectivityState(false) === connectivityState.READY) {
    await new Promise<void>((resolve, reject) => {
      channel.watchConnectivityState(connectivityState.READY, deadline, (error) => (error === undefined ? resolve() : reject(error)));
    });
  }
}
