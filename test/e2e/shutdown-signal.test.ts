import { Code, RpcError } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";
import { aborted, deferred, failOnUnhandledRejections, rejection, startEchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

describe("server shutdown and the handler's signal", () => {
  it.each(["forced", "graceful, after the grace period"])(
    "%s: aborts the handler's signal and cancels its calls downstream",
    async (how) => {
      const leafCall = deferred<{ reason: Promise<unknown> }>();
      const leaf = await startEchoServer({
        async echo(_request, context) {
          leafCall.resolve({ reason: aborted(context.signal) });
          await aborted(context.signal);
          throw context.signal.reason;
        },
      });
      let middleReason: Promise<unknown> | undefined;
      const downstreamError = deferred<unknown>();
      const middle = await startEchoServer({
        async echo(request, context) {
          middleReason = aborted(context.signal);
          const error = await rejection(leaf.client.echo(request));
          downstreamError.resolve(error);
          throw error;
        },
      });
      try {
        const call = rejection(middle.client.echo({ message: "x" }));
        const reached = await leafCall.promise;
        if (how === "forced") {
          middle.server.forceShutdown();
        } else {
          await middle.server.shutdown({ graceMs: 50 });
        }
        const error = await call;
        expect(error).toBeInstanceOf(RpcError);
        const reason = (await middleReason) as RpcError;
        expect(reason.code).toBe(Code.UNAVAILABLE);
        expect(((await reached.reason) as RpcError).code).toBe(Code.CANCELLED);
        expect(((await downstreamError.promise) as RpcError).code).toBe(Code.CANCELLED);
      } finally {
        middle.close();
        leaf.close();
      }
    },
  );
});
