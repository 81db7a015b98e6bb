import { Code, RpcError, closeClient } from "@stubwright/runtime";
import { createTestServiceClient, type TestServiceClient } from "@stubwright/interop";
import { deferred } from "./echo-server.js";

/** How a call the client did not complete is cut off. */
export type CancelTrigger =
  /** The call's AbortSignal aborts while the request iterable waits. */
  | "abort"
  /** The signal aborts while the last message is being written (a microtask, or a few turns, after it is yielded). */
  | "abort-mid-write"
  /** The request iterable aborts the signal, then returns at once, racing the runtime's half-close. */
  | "abort-then-return"
  /** The request iterable throws. */
  | "iterable-throws"
  /** The call's deadline passes while the request iterable waits. */
  | "deadline"
  /** Bidi only: the consumer stops reading responses (break). */
  | "stop-reading";

/** One call of the test: how many messages go out, then how it ends. */
export interface CallPlan {
  readonly id: number;
  readonly kind: "client_streaming" | "bidi";
  /** "half-close": every message, then a normal end (the control). */
  readonly ending: CancelTrigger | "half-close";
  readonly messages: number;
  /** setImmediate turns between the last message and the cancel. */
  readonly turns: number;
  /** Whether the client waits for the handler's headers before it starts writing. */
  readonly waitForHeader: boolean;
}

/** How the client saw a call end. */
export interface ClientOutcome {
  readonly code: Code;
  /** Responses: the aggregated count (client streaming) or the messages read (bidi). */
  readonly count: number;
}

const triggers: readonly CancelTrigger[] = ["abort", "abort-mid-write", "abort-then-return", "iterable-throws", "deadline", "stop-reading"];

/**
 * Plans `cancelPoints` cancelled calls that reach the handler for sure (they
 * wait for its headers; deadline cuts excepted), an eighth as many cancelled
 * before the handler may have started, and `controls` half-closed calls,
 * shuffled; `random` decides every choice, so a seed replays a run.
 */
export function planCalls(cancelPoints: number, controls: number, random: () => number): CallPlan[] {
  const pick = (below: number): number => Math.floor(random() * below);
  const plans: CallPlan[] = [];
  const add = (ending: CallPlan["ending"], waitForHeader: boolean): void => {
    const kind = pick(2) === 0 ? "client_streaming" : "bidi";
    const cut = ending === "stop-reading" && kind === "client_streaming" ? "abort" : ending;
    const minimum = cut === "stop-reading" || cut === "abort-mid-write" ? 1 : 0;
    plans.push({ id: plans.length, kind, ending: cut, messages: minimum + pick(8), turns: pick(4), waitForHeader });
  };
  for (let index = 0; index < cancelPoints; index++) {
    add(triggers[index % triggers.length]!, true);
  }
  for (let index = 0; index < Math.ceil(cancelPoints / 8); index++) {
    add(triggers[pick(triggers.length)]!, false);
  }
  for (let index = 0; index < controls; index++) {
    add("half-close", pick(2) === 0);
  }
  for (let index = plans.length - 1; index > 0; index--) {
    const other = pick(index + 1);
    [plans[index], plans[other]] = [plans[other]!, plans[index]!];
  }
  return plans.map((plan, id) => ({ ...plan, id }));
}

/** Runs `plans` against the server at `address`, `concurrency` calls at a time, a new client for each round of `roundSize`. */
export async function runPlans(address: string, plans: readonly CallPlan[], concurrency: number, roundSize: number): Promise<Map<number, ClientOutcome>> {
  const outcomes = new Map<number, ClientOutcome>();
  for (let start = 0; start < plans.length; start += roundSize) {
    const round = plans.slice(start, start + roundSize);
    const client = createTestServiceClient(address, { retry: false });
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < round.length) {
          const plan = round[next++]!;
          outcomes.set(plan.id, await runCall(client, plan));
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
      closeClient(client);
    }
  }
  return outcomes;
}

/** Makes one planned call; resolves to how the client saw it end. */
async function runCall(client: TestServiceClient, plan: CallPlan): Promise<ClientOutcome> {
  const controller = new AbortController();
  const settled = deferred();
  const header = deferred();
  const options = {
    signal: controller.signal,
    timeoutMs: plan.ending === "deadline" ? 5 + plan.turns * 15 : 60_000,
    metadata: plan.waitForHeader ? { "x-call-id": String(plan.id), "x-send-header": "1" } : { "x-call-id": String(plan.id) },
    onHeader: () => header.resolve(),
  };
  const requests = requestsOf(plan, controller, settled.promise, plan.waitForHeader ? Promise.race([header.promise, settled.promise]) : undefined);
  try {
    if (plan.kind === "client_streaming") {
      const response = await client.streamingInputCall(requests, options);
      return { code: Code.OK, count: response.aggregatedPayloadSize };
    }
    let count = 0;
    for await (const response of client.fullDuplexCall(requests, options)) {
      void response;
      count++;
      if (plan.ending === "stop-reading" && count === plan.messages) {
        await afterTurns(plan.turns);
        break;
      }
    }
    return { code: plan.ending === "stop-reading" ? Code.CANCELLED : Code.OK, count };
  } catch (error) {
    if (!(error instanceof RpcError)) {
      throw error;
    }
    return { code: error.code, count: -1 };
  } finally {
    settled.resolve();
  }
}

/** The plan's request stream: its messages, then its ending. */
async function* requestsOf(
  plan: CallPlan,
  controller: AbortController,
  settled: Promise<void>,
  header: Promise<void> | undefined,
): AsyncGenerator<{ payload: { body: Uint8Array } }> {
  await header;
  const message = { payload: { body: new Uint8Array(8) } };
  for (let index = 0; index < plan.messages; index++) {
    if (plan.ending === "abort-mid-write" && index === plan.messages - 1) {
      if (plan.turns === 0) {
        queueMicrotask(() => controller.abort());
      } else {
        void afterTurns(plan.turns).then(() => controller.abort());
      }
    }
    yield message;
  }
  switch (plan.ending) {
    case "half-close":
      return;
    case "abort":
      await afterTurns(plan.turns);
      controller.abort();
      break;
    case "abort-then-return":
      await afterTurns(plan.turns);
      controller.abort();
      return;
    case "iterable-throws":
      await afterTurns(plan.turns);
      throw new Error("request source failed");
    default:
      break;
  }
  // Never a half-close of the client's own: the iterable ends only once the call has.
  await settled;
}

/** Resolves after `turns` turns of the event loop. */
export function afterTurns(turns: number): Promise<void> {
  let chain = Promise.resolve();
  for (let turn = 0; turn < turns; turn++) {
    chain = chain.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  }
  return chain;
}

/** A small seeded generator (mulberry32), so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
