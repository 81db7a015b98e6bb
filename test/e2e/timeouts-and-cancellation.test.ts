import { getEventListeners } from "node:events";
import { Code, RpcError, type ServerCallContext } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callKind, kinds, uniformHandlers } from "../support/call-kinds.js";
import { aborted, deferred, failOnUnhandledRejections, startEchoServer, type EchoServer } from "../support/echo-server.js";
import { withFakeClock } from "../support/fake-clock.js";
import { transportCases } from "../support/transports.js";

failOnUnhandledRejections();

/** A call the server saw, with the reason its signal aborted with (once it did). */
interface Served {
  readonly context: ServerCallContext;
  readonly reason: Promise<unknown>;
}
/** Every call the server saw. */
const served: Served[] = [];
/** Resolves with the next call the server sees. */
let arrival = deferred<Served>();
let echo: EchoServer;

function expectCode(error: unknown, code: Code): void {
  expect(error).toBeInstanceOf(RpcError);
  expect((error as RpcError).code, (error as RpcError).message).toBe(code);
}

describe.each(transportCases)("over $name", (transport) => {
  beforeAll(async () => {
    // Each handler waits for its call to end ("hang" requests) or answers at once.
    echo = await startEchoServer(
      uniformHandlers(async (context, message) => {
        const call = { context, reason: aborted(context.signal) };
        served.push(call);
        const arrived = arrival;
        arrival = deferred();
        arrived.resolve(call);
        if (message === "hang") {
          await aborted(context.signal);
        }
        return message;
      }),
      {},
      {},
      transport,
    );
  });
  afterAll(() => echo.close());

  describe.each(kinds)("%s", (kind) => {
    it("a timeout ends the call with DEADLINE_EXCEEDED, and the handler's signal aborts", async () => {
      const before = served.length;
      await withFakeClock(async (clock) => {
        const next = arrival.promise;
        const outcome = callKind(echo.client, kind, { timeoutMs: 100 }, "hang");
        const call = await next;
        await clock.advance(1_000);
        expectCode((await outcome).error, Code.DEADLINE_EXCEEDED);
        expectCode(await call.reason, Code.DEADLINE_EXCEEDED);
      });
      expect(served.length).toBe(before + 1);
    });

    it("a deadline (Date) ends the call with DEADLINE_EXCEEDED, and the server saw it", async () => {
      await withFakeClock(async (clock) => {
        // The clock stands still until advanced: the server receives the deadline as sent.
        const deadline = new Date(Date.now() + 100);
        const next = arrival.promise;
        const outcome = callKind(echo.client, kind, { deadline }, "hang");
        const call = await next;
        expect(call.context.deadline).toEqual(deadline);
        await clock.advance(1_000);
        expectCode((await outcome).error, Code.DEADLINE_EXCEEDED);
        expectCode(await call.reason, Code.DEADLINE_EXCEEDED);
      });
    });

    it("a deadline that is not reached lets the call succeed", async () => {
      const outcome = await callKind(echo.client, kind, { timeoutMs: 10_000, deadline: Date.now() + 20_000 }, "ok");
      expect(outcome.error).toBeUndefined();
      expect(outcome.responses.map((r) => r.message)).toEqual(["ok"]);
    });

    it("an already aborted signal fails with CANCELLED and never reaches the server", async () => {
      const before = served.length;
      const outcome = await callKind(echo.client, kind, { signal: AbortSignal.abort() }, "ok");
      expectCode(outcome.error, Code.CANCELLED);
      expect(served.length).toBe(before);
    });

    it("aborting mid-call ends it with CANCELLED and aborts the handler's signal", async () => {
      const before = served.length;
      const controller = new AbortController();
      const next = arrival.promise;
      const outcome = callKind(echo.client, kind, { signal: controller.signal }, "hang");
      const call = await next;
      controller.abort();
      expectCode((await outcome).error, Code.CANCELLED);
      expectCode(await call.reason, Code.CANCELLED);
      expect(served.length).toBe(before + 1);
    });

    it("an expired timeout fails at once with DEADLINE_EXCEEDED", async () => {
      const before = served.length;
      const outcome = await callKind(echo.client, kind, { timeoutMs: 0 }, "ok");
      expectCode(outcome.error, Code.DEADLINE_EXCEEDED);
      expect(served.length).toBe(before);
    });
  });

  describe("cancelling a stream", () => {
    it("aborting a server stream after the first message ends iteration with CANCELLED", async () => {
      let context: ServerCallContext | undefined;
      const server = await startEchoServer(
        {
          async *expand(_request, ctx) {
            context = ctx;
            for (let index = 0; index < 1000 && !ctx.signal.aborted; index++) {
              yield { index };
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          },
        },
        {},
        {},
        transport,
      );
      try {
        const controller = new AbortController();
        const seen: number[] = [];
        let failure: unknown;
        try {
          for await (const response of server.client.expand({}, { signal: controller.signal })) {
            seen.push(response.index);
            if (seen.length === 3) {
              controller.abort();
            }
          }
        } catch (error) {
          failure = error;
        }
        expectCode(failure, Code.CANCELLED);
        expect(seen.length).toBeGreaterThanOrEqual(3);
        expect(seen.length).toBeLessThan(1000);
        expectCode(await aborted(context!.signal), Code.CANCELLED);
      } finally {
        server.close();
      }
    });

    it("a timeout with a sub-millisecond remainder works", async () => {
      const outcome = await callKind(echo.client, "unary", { timeoutMs: 30_000.4 }, "ok");
      expect(outcome.error).toBeUndefined();
    });
  });

  describe("one signal shared by many calls", () => {
    const calls = 160;
    /** Process warnings seen while a test ran, e.g. MaxListenersExceededWarning. */
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    beforeAll(() => {
      process.on("warning", onWarning);
    });
    afterAll(() => {
      process.off("warning", onWarning);
    });

    it("cancels every call with one listener on the signal, no warning, and none left after", async () => {
      const controller = new AbortController();
      const before = served.length;
      const outcomes = Array.from({ length: calls }, (_, index) => callKind(echo.client, kinds[index % kinds.length]!, { signal: controller.signal }, "hang"));
      while (served.length < before + calls) {
        await arrival.promise;
      }
      expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
      controller.abort();
      for (const outcome of await Promise.all(outcomes)) {
        expectCode(outcome.error, Code.CANCELLED);
      }
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      expect(warnings.map((warning) => warning.name)).not.toContain("MaxListenersExceededWarning");
    });

    it("leaves no listener behind when the calls end on their own", async () => {
      const controller = new AbortController();
      const outcomes = await Promise.all(
        Array.from({ length: calls }, (_, index) => callKind(echo.client, kinds[index % kinds.length]!, { signal: controller.signal }, "ok")),
      );
      expect(outcomes.map((outcome) => outcome.error).filter((error) => error !== undefined)).toEqual([]);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      expect(warnings.map((warning) => warning.name)).not.toContain("MaxListenersExceededWarning");
      // A signal the calls have let go of may be reused.
      controller.abort();
      expect((await callKind(echo.client, "unary", { signal: controller.signal }, "ok")).error).toBeInstanceOf(RpcError);
    });
  });
});
