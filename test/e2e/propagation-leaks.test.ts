import { createHook } from "node:async_hooks";
import { getEventListeners } from "node:events";
import { currentCall, type AbortFollower } from "@stubwright/runtime/deadline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callKind, type Kind } from "../support/call-kinds.js";
import { failOnUnhandledRejections, fromArray, sleep, startEchoServer, type EchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

const concurrency = 50;
const callsPerKind: Record<Kind, number> = {
  unary: 2_000,
  server_streaming: 400,
  client_streaming: 400,
  bidi_streaming: 400,
};

/** What B measured of the calls following its inbound call, while and after making them. */
interface Measured {
  before: number;
  peak: number;
  after: number;
  failures: number;
}

let leaf: EchoServer;
let middle: EchoServer;

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, "abort").length;
}

/**
 * Watches which outbound calls follow the current inbound call (to be
 * cancelled with it), by wrapping `follow`/`unfollow` of the very object the
 * clients inherit from. Returns the live followers.
 */
function watchFollowers(): Set<AbortFollower> {
  const inbound = currentCall();
  if (inbound === undefined) {
    throw new Error("not inside a handler");
  }
  const live = new Set<AbortFollower>();
  const { follow, unfollow } = inbound;
  Object.assign(inbound, {
    follow(follower: AbortFollower) {
      live.add(follower);
      follow.call(inbound, follower);
    },
    unfollow(follower: AbortFollower) {
      live.delete(follower);
      unfollow.call(inbound, follower);
    },
  });
  return live;
}

beforeAll(async () => {
  leaf = await startEchoServer({
    async echo(request) {
      return { message: request.message };
    },
    async *expand(request) {
      yield { message: request.message };
    },
    async collect(requests) {
      let count = 0;
      for await (const _ of requests) {
        count++;
      }
      return { index: count };
    },
    async *chat(requests) {
      for await (const request of requests) {
        yield { message: request.message };
      }
    },
  });
  // B makes `count` calls of `kind` to C, `concurrency` at a time, all inheriting its inbound call.
  middle = await startEchoServer({
    async echo(request) {
      const kind = request.message as Kind;
      const total = callsPerKind[kind];
      const followers = watchFollowers();
      const measured: Measured = { before: followers.size, peak: 0, after: 0, failures: 0 };
      for (let done = 0; done < total; done += concurrency) {
        const batch = Array.from({ length: concurrency }, () => callKind(leaf.client, kind));
        measured.peak = Math.max(measured.peak, followers.size);
        for (const outcome of await Promise.all(batch)) {
          measured.failures += outcome.error === undefined ? 0 : 1;
        }
      }
      measured.after = followers.size;
      return { message: JSON.stringify(measured) };
    },
  });
});
afterAll(() => {
  middle.close();
  leaf.close();
});

describe("no listener or timer outlives its call", () => {
  it.each(["unary", "server_streaming", "client_streaming", "bidi_streaming"] as const)(
    "%s calls inside a handler stop following the inbound call when they end",
    async (kind) => {
      const response = await middle.client.echo({ message: kind }, { timeoutMs: 30_000 });
      const measured = JSON.parse(response.message) as Measured;
      expect(measured.failures).toBe(0);
      // Calls of every kind follow the inbound call while they run ...
      expect(measured.peak).toBeGreaterThanOrEqual(measured.before + concurrency);
      // ... and stop following it when they end.
      expect(measured.after).toBe(measured.before);
    },
  );

  it("thousands of calls sharing one caller signal leave no listener on it", async () => {
    const controller = new AbortController();
    for (let done = 0; done < 2_000; done += concurrency) {
      await Promise.all(
        Array.from({ length: concurrency }, (_, index) =>
          index % 2 === 0
            ? leaf.client.echo({ message: "x" }, { signal: controller.signal, timeoutMs: 10_000 })
            : leaf.client.collect(fromArray([{ message: "x" }]), { signal: controller.signal }),
        ),
      );
    }
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it("thousands of calls with deadlines leave no timers behind", async () => {
    // Track every Timeout created (unref'd ones included) until it fires or is cleared.
    const live = new Set<number>();
    let created = 0;
    let counting = true;
    const hook = createHook({
      init(asyncId, type) {
        if (counting && type === "Timeout") {
          live.add(asyncId);
          created++;
        }
      },
      destroy(asyncId) {
        live.delete(asyncId);
      },
    });
    await middle.client.echo({ message: "unary" }, { timeoutMs: 30_000 });
    hook.enable();
    try {
      await middle.client.echo({ message: "unary" }, { timeoutMs: 30_000 });
      counting = false;
      // Timer destruction is reported asynchronously; give it a few turns.
      for (let turn = 0; turn < 50 && live.size > 0; turn++) {
        await sleep(10);
      }
    } finally {
      hook.disable();
    }
    // Every call had deadline timers (client and server side) ...
    expect(created).toBeGreaterThan(callsPerKind.unary);
    // ... and none of them is left: a leak would leave thousands. (Node's
    // once-a-second HTTP date cache timer may be the odd one still alive.)
    expect(live.size).toBeLessThanOrEqual(2);
  });
});
