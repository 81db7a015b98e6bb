import { Code, RpcError } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";
import { aborted, deferred, failOnUnhandledRejections, rejection, sleep, startEchoServer, waitFor } from "../support/echo-server.js";

failOnUnhandledRejections();

// The server creates a call's AbortSignal, header/trailer metadata and context
// values only when something reads them. These tests read them late, after
// the event that aborts the call, and check that nothing was lost meanwhile.
describe("lazily created server context", () => {
  it("a signal first read after the deadline passed is already aborted with DEADLINE_EXCEEDED", async () => {
    const late = deferred();
    let seen: { aborted: boolean; reason: unknown } | undefined;
    const echo = await startEchoServer({
      async echo(request, context) {
        await late.promise;
        seen = { aborted: context.signal.aborted, reason: context.signal.reason };
        return { message: request.message };
      },
    });
    try {
      const error = await rejection(echo.client.echo({ message: "x" }, { timeout: 50 }));
      expect((error as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
      // The server's copy of the deadline started on receipt, a little later.
      await sleep(100);
      late.resolve();
      await waitFor(() => seen !== undefined, "the handler to read its signal");
      expect(seen?.aborted).toBe(true);
      expect((seen?.reason as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
    } finally {
      echo.close();
    }
  });

  it("a signal first read after a forced shutdown is aborted with UNAVAILABLE, and outbound calls fail at once", async () => {
    const started = deferred();
    const late = deferred();
    let seen: unknown;
    let downstream: unknown;
    const leaf = await startEchoServer({ echo: (request) => ({ message: request.message }) });
    const middle = await startEchoServer({
      async echo(request, context) {
        started.resolve();
        await late.promise;
        seen = context.signal.reason;
        downstream = await rejection(leaf.client.echo(request));
        return { message: "unreachable" };
      },
    });
    try {
      const call = rejection(middle.client.echo({ message: "x" }));
      await started.promise;
      middle.server.forceShutdown();
      await call;
      late.resolve();
      await waitFor(() => downstream !== undefined, "the downstream call to fail");
      expect((seen as RpcError).code).toBe(Code.UNAVAILABLE);
      expect((downstream as RpcError).code).toBe(Code.CANCELLED);
    } finally {
      middle.close();
      leaf.close();
    }
  });

  it("outbound calls are cancelled with the inbound call and expire with it, though the handler never read its signal", async () => {
    const leafSignals: AbortSignal[] = [];
    const leaf = await startEchoServer({
      async echo(request, context) {
        leafSignals.push(context.signal);
        await aborted(context.signal);
        return { message: request.message };
      },
    });
    const outcomes: unknown[] = [];
    const middle = await startEchoServer({
      async echo(request) {
        // Never touches context.signal: the calls follow the inbound call directly.
        outcomes.push(await rejection(leaf.client.echo(request)));
        return { message: "unreachable" };
      },
    });
    try {
      const controller = new AbortController();
      const cancelled = rejection(middle.client.echo({ message: "cancel" }, { signal: controller.signal }));
      await waitFor(() => leafSignals.length === 1, "the leaf to be called");
      controller.abort();
      expect((await cancelled as RpcError).code).toBe(Code.CANCELLED);
      await waitFor(() => outcomes.length === 1, "the outbound call to end");
      expect((outcomes[0] as RpcError).code).toBe(Code.CANCELLED);
      await waitFor(() => leafSignals[0]?.aborted === true, "the leaf's signal to abort");
      expect((leafSignals[0]?.reason as RpcError).code).toBe(Code.CANCELLED);

      const expired = rejection(middle.client.echo({ message: "expire" }, { timeout: 200 }));
      expect((await expired as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
      await waitFor(() => outcomes.length === 2, "the outbound call to end");
      expect((outcomes[1] as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
      await waitFor(() => leafSignals[1]?.aborted === true, "the leaf's signal to abort");
      expect((leafSignals[1]?.reason as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
    } finally {
      middle.close();
      leaf.close();
    }
  });

  it("a handler answering synchronously still sends its headers and trailers; context functions work destructured", async () => {
    const echo = await startEchoServer({
      echo(request, context) {
        const { sendHeader, timeRemaining, trailer } = context;
        expect(timeRemaining()).toBe(Infinity);
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
