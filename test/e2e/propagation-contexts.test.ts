import { Code, RpcError, runDetached, type ServerCallContext } from "@stubwright/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { EchoResponse } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import {
  aborted,
  deferred,
  drain,
  failOnUnhandledRejections,
  rejection,
  sleep,
  startEchoServer,
  type Deferred,
  type EchoServer,
} from "../support/echo-server.js";
import { realSetTimeout, withFakeClock } from "../support/fake-clock.js";
import { closeClient } from "@stubwright/runtime";

failOnUnhandledRejections();

/** A call C saw: its context, when it started, and its abort reason. */
interface LeafCall {
  readonly message: string;
  readonly context: ServerCallContext;
  readonly startedAt: number;
  readonly reason: Promise<unknown>;
}
/** Calls C saw. */
const leafCalls: LeafCall[] = [];
/** Resolves when C sees a call. */
let leafCalled: Deferred<void> = deferred();
/** Released by tests to let C's "audit" calls finish. */
let release: Deferred<void> = deferred();
/** Released by tests once B's inbound deadline has passed, to let B's "spent" calls go on. */
let outlived: Deferred<void> = deferred();
/** What B's background calls ended with. */
let background: Promise<EchoResponse> | undefined;
/** Resolves when B starts serving a call. */
let middleCalled: Deferred<void> = deferred();
/** Resolves with the error B's downstream call failed with, if it does. */
let downstreamError: Deferred<unknown> = deferred();

let leaf: EchoServer;
let middle: EchoServer;
let toLeafWithDefault: EchoServiceClient;
/** A client to C through a (pass-through) interceptor. */
let toLeafIntercepted: EchoServiceClient;

/**
 * B makes its call to C in the way the request's message names ("mode:leaf
 * message"), without passing any deadline or signal along.
 */
function callLeaf(mode: string, message: string, leafClient: EchoServiceClient, context: ServerCallContext): Promise<unknown> {
  switch (mode) {
    case "direct":
      return leafClient.echo({ message });
    case "deep": {
      const level = async (depth: number): Promise<unknown> => {
        await Promise.resolve();
        return depth === 0 ? leafClient.echo({ message }) : level(depth - 1);
      };
      return level(8);
    }
    case "timer":
      return new Promise((resolve, reject) => {
        realSetTimeout(() => {
          leafClient.echo({ message }).then(resolve, reject);
        }, 5);
      });
    case "then":
      return Promise.resolve()
        .then(() => sleep(1))
        .then(() => leafClient.echo({ message }));
    case "generator": {
      async function* viaGenerator(): AsyncGenerator<EchoResponse> {
        await sleep(1);
        yield await leafClient.echo({ message });
      }
      return drain(viaGenerator()).then(({ items, error }) => (error === undefined ? items : Promise.reject(error)));
    }
    case "stream":
      return drain(leafClient.expand({ message, repeat: 1 })).then(({ items, error }) => (error === undefined ? items : Promise.reject(error)));
    case "intercepted":
      return toLeafIntercepted.echo({ message });
    case "intercepted-stream":
      return drain(toLeafIntercepted.expand({ message, repeat: 1 })).then(({ items, error }) => (error === undefined ? items : Promise.reject(error)));
    case "shorter":
      return leafClient.echo({ message }, { timeoutMs: 100 });
    case "longer":
      return leafClient.echo({ message }, { deadline: new Date(Date.now() + 60_000) });
    case "default":
      return toLeafWithDefault.echo({ message });
    case "optout":
      background = leafClient.echo({ message }, { propagate: false });
      return aborted(context.signal);
    case "detached":
      background = runDetached(() => leafClient.echo({ message }));
      return aborted(context.signal);
    case "detached-stream": {
      // Created detached, consumed in the handler: stays detached.
      const responses = runDetached(() => leafClient.expand({ message, repeat: 1 }));
      background = drain(responses).then(({ items, error }) => (error === undefined ? items[0]! : Promise.reject(error)));
      return aborted(context.signal);
    }
    case "detached-intercepted":
      background = runDetached(() => toLeafIntercepted.echo({ message }));
      return aborted(context.signal);
    case "detached-stream-intercepted": {
      const responses = runDetached(() => toLeafIntercepted.expand({ message, repeat: 1 }));
      background = drain(responses).then(({ items, error }) => (error === undefined ? items[0]! : Promise.reject(error)));
      return aborted(context.signal);
    }
    case "optout-stream-intercepted": {
      const responses = toLeafIntercepted.expand({ message, repeat: 1 }, { propagate: false });
      background = drain(responses).then(({ items, error }) => (error === undefined ? items[0]! : Promise.reject(error)));
      return aborted(context.signal);
    }
    case "spent":
      // Outlive the inbound deadline (the test says when it has passed), ignoring the signal, then call.
      return outlived.promise.then(() => leafClient.echo({ message }));
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

beforeAll(async () => {
  leaf = await startEchoServer({
    async echo(request, context) {
      leafCalls.push({ message: request.message, context, startedAt: Date.now(), reason: aborted(context.signal) });
      leafCalled.resolve();
      if (request.message === "hang") {
        await aborted(context.signal);
        throw context.signal.reason;
      }
      if (request.message === "audit") {
        await release.promise;
      }
      return { message: request.message };
    },
    async *expand(request, context) {
      leafCalls.push({ message: request.message, context, startedAt: Date.now(), reason: aborted(context.signal) });
      leafCalled.resolve();
      if (request.message === "hang") {
        await aborted(context.signal);
        throw context.signal.reason;
      }
      if (request.message === "audit") {
        await release.promise;
      }
      yield { message: request.message };
    },
  });
  toLeafWithDefault = createEchoServiceClient(leaf.address, { defaultTimeoutMs: 150 });
  toLeafIntercepted = createEchoServiceClient(leaf.address, { use: [(next) => (call) => next(call)] });
  middle = await startEchoServer({
    async echo(request, context) {
      const [mode, message] = request.message.split(":") as [string, string];
      middleCalled.resolve();
      try {
        await callLeaf(mode, message, leaf.client, context);
      } catch (error) {
        downstreamError.resolve(error);
        throw error;
      }
      return { message: "done" };
    },
  });
});
afterAll(() => {
  closeClient(toLeafWithDefault);
  closeClient(toLeafIntercepted);
  middle.close();
  leaf.close();
});
beforeEach(() => {
  leafCalls.length = 0;
  leafCalled = deferred();
  release = deferred();
  outlived = deferred();
  background = undefined;
  middleCalled = deferred();
  downstreamError = deferred();
});

function expectCode(error: unknown, code: Code): void {
  expect(error).toBeInstanceOf(RpcError);
  expect((error as RpcError).code, String(error)).toBe(code);
}

describe.each(["direct", "deep", "timer", "then", "generator", "stream", "intercepted", "intercepted-stream"])("a call made %s inside a handler", (mode) => {
  it("inherits the inbound deadline", async () => {
    const sentAt = Date.now();
    await middle.client.echo({ message: `${mode}:ok` }, { timeoutMs: 30_000 });
    expect(leafCalls).toHaveLength(1);
    const deadline = leafCalls[0]!.context.deadline;
    expect(deadline).toBeInstanceOf(Date);
    expect(deadline!.getTime()).toBeLessThanOrEqual(sentAt + 30_000 + (leafCalls[0]!.startedAt - sentAt) + 4);
    expect(deadline!.getTime()).toBeGreaterThan(sentAt + 29_000);
  });

  it("inherits the inbound cancellation", async () => {
    const controller = new AbortController();
    const call = rejection(middle.client.echo({ message: `${mode}:hang` }, { signal: controller.signal }));
    await leafCalled.promise;
    controller.abort();
    expectCode(await call, Code.CANCELLED);
    expectCode(await leafCalls[0]!.reason, Code.CANCELLED);
    expectCode(await downstreamError.promise, Code.CANCELLED);
  });

  it("inherits the inbound expiry as DEADLINE_EXCEEDED", async () => {
    await withFakeClock(async (clock) => {
      const call = rejection(middle.client.echo({ message: `${mode}:hang` }, { timeoutMs: 200 }));
      await leafCalled.promise;
      await clock.advance(1_000);
      expectCode(await call, Code.DEADLINE_EXCEEDED);
      expectCode(await leafCalls[0]!.reason, Code.DEADLINE_EXCEEDED);
      expectCode(await downstreamError.promise, Code.DEADLINE_EXCEEDED);
    });
  });
});

// Budgets of a few hundred milliseconds or less run on a fake clock (which
// stands still until a test advances it): a busy machine must not spend them
// before the call gets where it is going.
describe("own and inherited deadlines", () => {
  it("a shorter own timeout wins over the inbound deadline", async () => {
    await withFakeClock(() => middle.client.echo({ message: "shorter:ok" }, { timeoutMs: 10_000 }));
    const { context, startedAt } = leafCalls[0]!;
    expect(context.deadline!.getTime() - startedAt).toBe(100);
  });

  it("a longer own deadline is cut to the inbound one", async () => {
    await withFakeClock(() => middle.client.echo({ message: "longer:ok" }, { timeoutMs: 2_000 }));
    const { context, startedAt } = leafCalls[0]!;
    expect(context.deadline!.getTime() - startedAt).toBe(2_000);
  });

  it("the client's defaultTimeoutMs applies inside a handler without an inbound deadline", async () => {
    await withFakeClock(() => middle.client.echo({ message: "default:ok" }));
    const { context, startedAt } = leafCalls[0]!;
    expect(context.deadline).toBeInstanceOf(Date);
    expect(context.deadline!.getTime() - startedAt).toBe(150);
  });

  it("the client's defaultTimeoutMs is cut to a shorter inbound deadline", async () => {
    await withFakeClock(() => middle.client.echo({ message: "default:ok" }, { timeoutMs: 60 }));
    const { context, startedAt } = leafCalls[0]!;
    expect(context.deadline!.getTime() - startedAt).toBe(60);
  });

  it("a spent budget fails at once with DEADLINE_EXCEEDED, without reaching C", async () => {
    const error = await withFakeClock(async (clock) => {
      const call = rejection(middle.client.echo({ message: "spent:ok" }, { timeoutMs: 100 }));
      await middleCalled.promise;
      await clock.advance(1_000);
      expectCode(await call, Code.DEADLINE_EXCEEDED);
      outlived.resolve();
      return downstreamError.promise;
    });
    expectCode(error, Code.DEADLINE_EXCEEDED);
    expect((error as RpcError).rawMessage).toContain("before the call started");
    expect((error as RpcError).rawMessage).toContain("/fixture.echo.v1.EchoService/Echo");
    expect(leafCalls).toHaveLength(0);
  });
});

describe.each(["optout", "detached", "detached-stream", "detached-intercepted", "detached-stream-intercepted", "optout-stream-intercepted"])(
  "an opted-out call (%s)",
  (mode) => {
    it("inherits nothing and outlives the inbound call", async () => {
      await withFakeClock(async (clock) => {
        const call = rejection(middle.client.echo({ message: `${mode}:audit` }, { timeoutMs: 150 }));
        await leafCalled.promise;
        await clock.advance(1_000);
        expectCode(await call, Code.DEADLINE_EXCEEDED);
      });
      expect(leafCalls).toHaveLength(1);
      const audit = leafCalls[0]!;
      expect(audit.context.deadline).toBeUndefined();
      // The inbound call is over; the audit call is still running.
      expect(audit.context.signal.aborted).toBe(false);
      release.resolve();
      const response = await background!;
      expect(response.message).toBe("audit");
      expect(audit.context.signal.aborted).toBe(false);
    });
  },
);
