import { Code, RpcError } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";
import { aborted, deferred, failOnUnhandledRejections, rejection, startEchoServer } from "../support/echo-server.js";
import { withFakeClock } from "../support/fake-clock.js";

failOnUnhandledRejections();

// The server creates a call's AbortSignal, header/trailer metadata and context
// values only when something reads them. These tests read them late, after
// the event that aborts the call, and check that nothing was lost meanwhile.
describe("lazily created server context", () => {
  it("a signal first read after the deadline passed is already aborted with DEADLINE_EXCEEDED", async () => {
    const started = deferred();
    const late = deferred();
    const seen = deferred<{ aborted: boolean; reason: unknown }>();
    const echo = await startEchoServer({
      async echo(request, context) {
        if (request.message === "warm-up") {
          return { message: request.message };
        }
        started.resolve();
        await late.promise;
        seen.resolve({ aborted: context.signal.aborted, reason: context.signal.reason });
        return { message: request.message };
      },
    });
    try {
      await echo.client.echo({ message: "warm-up" });
      await withFakeClock(async (clock) => {
        // The client sends grpc-timeout itself and keeps no deadline of its
        // own, so the server's timer alone ends the call: the status the
        // client receives was sent after the server had cancelled the call.
        const call = rejection(echo.client.echo({ message: "x" }, { metadata: { "grpc-timeout": "50m" } }));
        await started.promise;
        await clock.advance(1_000);
        expect(((await call) as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
      });
      late.resolve();
      const { aborted: wasAborted, reason } = await seen.promise;
      expect(wasAborted).toBe(true);
      expect((reason as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
    } finally {
      echo.close();
    }
  });

  it("a signal first read after a forced shutdown is aborted with UNAVAILABLE, and outbound calls fail at once", async () => {
    const started = deferred();
    const late = deferred();
    const seen = deferred<{ reason: unknown; downstream: unknown }>();
    const leaf = await startEchoServer({ echo: (request) => ({ message: request.message }) });
    const middle = await startEchoServer({
      async echo(request, context) {
        started.resolve();
        await late.promise;
        const reason = context.signal.reason;
        seen.resolve({ reason, downstream: await rejection(leaf.client.echo(request)) });
        return { message: "unreachable" };
      },
    });
    try {
      const call = rejection(middle.client.echo({ message: "x" }));
      await started.promise;
      middle.server.forceShutdown();
      await call;
      late.resolve();
      const { reason, downstream } = await seen.promise;
      expect((reason as RpcError).code).toBe(Code.UNAVAILABLE);
      expect((downstream as RpcError).code).toBe(Code.CANCELLED);
    } finally {
      middle.close();
      leaf.close();
    }
  });

  it("outbound calls are cancelled with the inbound call and expire with it, though the handler never read its signal", async () => {
    const leafCalls: { signal: AbortSignal; reason: Promise<unknown> }[] = [];
    let leafCalled = deferred();
    const leaf = await startEchoServer({
      async echo(request, context) {
        leafCalls.push({ signal: context.signal, reason: aborted(context.signal) });
        leafCalled.resolve();
        await aborted(context.signal);
        return { message: request.message };
      },
    });
    let outcome = deferred<unknown>();
    const middle = await startEchoServer({
      async echo(request) {
        // Never touches context.signal: the calls follow the inbound call directly.
        outcome.resolve(await rejection(leaf.client.echo(request)));
        return { message: "unreachable" };
      },
    });
    try {
      const controller = new AbortController();
      const cancelled = rejection(middle.client.echo({ message: "cancel" }, { signal: controller.signal }));
      await leafCalled.promise;
      controller.abort();
      expect(((await cancelled) as RpcError).code).toBe(Code.CANCELLED);
      expect(((await outcome.promise) as RpcError).code).toBe(Code.CANCELLED);
      expect(((await leafCalls[0]!.reason) as RpcError).code).toBe(Code.CANCELLED);

      leafCalled = deferred();
      outcome = deferred();
      await withFakeClock(async (clock) => {
        const expired = rejection(middle.client.echo({ message: "expire" }, { timeoutMs: 200 }));
        await leafCalled.promise;
        await clock.advance(1_000);
        expect(((await expired) as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
        expect(((await outcome.promise) as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
        expect(((await leafCalls[1]!.reason) as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
      });
    } finally {
      middle.close();
      leaf.close();
    }
  });

  it("a handler answering synchronously still sends its headers and trailers; context functions work destructured", async () => {
    const echo = await startEchoServer({
      echo(request, context) {
        const { sendHeader, timeRemainingMs, trailer } = context;
        expect(timeRemainingMs()).toBe(Infinity);
        sendHeader({ "x-header": "h" });
        trailer.set("x-trailer", "t");
        return { message: request.message };
      },
    });
    try {
      let header: string | undefined;
      let trailer: string | undefined;
      const response = await echo.client.echo(
        { message: "sync" },
        {
          onHeader: (headers) => (header = headers.get("x-header")[0] as string),
          onTrailer: (trailers) => (trailer = trailers.get("x-trailer")[0] as string),
        },
      );
      expect(response.message).toBe("sync");
      expect(header).toBe("h");
      expect(trailer).toBe("t");
    } finally {
      echo.close();
    }
  });

  it("a handler throwing synchronously ends the call with its status", async () => {
    const echo = await startEchoServer({
      echo() {
        throw new RpcError(Code.FAILED_PRECONDITION, "not now");
      },
    });
    try {
      const error = (await rejection(echo.client.echo({ message: "x" }))) as RpcError;
      expect(error.code).toBe(Code.FAILED_PRECONDITION);
      expect(error.rawMessage).toBe("not now");
    } finally {
      echo.close();
    }
  });
});
