import { Code, RpcError } from "@stubwright/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callKind, kinds } from "../support/call-kinds.js";
import { startChain, type Chain } from "../support/chain.js";
import { failOnUnhandledRejections } from "../support/echo-server.js";
import { withFakeClock } from "../support/fake-clock.js";

failOnUnhandledRejections();

/**
 * grpc-timeout carries a relative timeout in whole milliseconds, rounded up,
 * read against a millisecond clock: each hop may gain up to this much.
 */
const roundingMs = 2;

let chain: Chain;
beforeAll(async () => {
  chain = await startChain();
  // Connect every channel first: grpc-js computes grpc-timeout before it
  // connects, so a first call's deadline moves later by the connection time.
  await callKind(chain.client, "unary", {}, "warm-up");
});
afterAll(() => chain.close());
beforeEach(() => {
  for (const hop of [chain.a, chain.b, chain.c]) {
    hop.calls.length = 0;
  }
});

function expectCode(error: unknown, code: Code): void {
  expect(error).toBeInstanceOf(RpcError);
  expect((error as RpcError).code, String(error)).toBe(code);
}

describe.each(kinds)("A -> B -> C, %s hops", (kind) => {
  it("C observes A's deadline: no later than A's, less the time already spent", async () => {
    const outcome = await callKind(chain.client, kind, { timeoutMs: 30_000 }, "ok");
    expect(outcome.error).toBeUndefined();
    const [a, b, c] = [chain.a.calls[0]!, chain.b.calls[0]!, chain.c.calls[0]!];
    const [aDeadline, bDeadline, cDeadline] = [a, b, c].map((call) => call.context.deadline!.getTime()) as [number, number, number];
    const seen = `A ${aDeadline} at ${a.startedAt}, B ${bDeadline} at ${b.startedAt}, C ${cDeadline} at ${c.startedAt}`;
    // Each hop restarts the remaining time on receipt, so it may only gain the
    // transit time since the previous hop started (plus rounding), never more.
    expect(bDeadline, seen).toBeLessThanOrEqual(aDeadline + (b.startedAt - a.startedAt) + roundingMs);
    expect(cDeadline, seen).toBeLessThanOrEqual(bDeadline + (c.startedAt - b.startedAt) + roundingMs);
    // ... and never loses any: C's budget is A's, less the time elapsed since.
    expect(cDeadline, seen).toBeGreaterThanOrEqual(aDeadline - roundingMs);
    const cRemaining = Number(outcome.responses[0]!.deadlineMs);
    expect(cRemaining, seen).toBeGreaterThan(0);
    expect(cRemaining, seen).toBeLessThanOrEqual(aDeadline - a.startedAt + 2 * roundingMs);
  });

  it("without a deadline at A, no hop has one", async () => {
    const outcome = await callKind(chain.client, kind, {}, "ok");
    expect(outcome.error).toBeUndefined();
    expect(chain.c.calls[0]!.context.deadline).toBeUndefined();
    expect(chain.c.calls[0]!.context.timeRemainingMs()).toBe(Infinity);
    expect(outcome.responses[0]!.deadlineMs).toBe(-1n);
  });

  it("cancelling at the client aborts every hop's signal, C's included", async () => {
    const controller = new AbortController();
    const reachedC = chain.c.nextCall();
    const outcome = callKind(chain.client, kind, { signal: controller.signal }, "hang");
    await reachedC;
    controller.abort();
    expectCode((await outcome).error, Code.CANCELLED);
    for (const hop of [chain.a, chain.b, chain.c]) {
      expectCode(await hop.calls[0]!.reason, Code.CANCELLED);
    }
    // B's call to C was cancelled by propagation, and says so with the same code.
    expectCode(await chain.b.calls[0]!.downstreamError, Code.CANCELLED);
  });

  it("expiry at A ends every hop with DEADLINE_EXCEEDED", async () => {
    // On a fake clock the deadline passes only once the call has reached C,
    // and every hop reads the same clock when it tells expiry from cancellation.
    await withFakeClock(async (clock) => {
      const reachedC = chain.c.nextCall();
      const outcome = callKind(chain.client, kind, { timeoutMs: 300 }, "hang");
      const c = await reachedC;
      await clock.advance(1_000);
      expectCode((await outcome).error, Code.DEADLINE_EXCEEDED);
      // C only ends through its signal.
      expectCode(await c.reason, Code.DEADLINE_EXCEEDED);
      // A and B end when their call downstream fails (by propagation or by
      // their own copy of the deadline).
      for (const hop of [chain.a, chain.b]) {
        expectCode(await hop.calls[0]!.downstreamError, Code.DEADLINE_EXCEEDED);
      }
    });
    expect(chain.c.calls).toHaveLength(1);
  });
});
