import { Code, RpcError } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";
import { aborted, failOnUnhandledRejections, rejection, startEchoServer, waitFor } from "../support/echo-server.js";

failOnUnhandledRejections();

describe("server shutdown and the handler's signal", () => {
  it.each(["forced", "graceful, after the grace period"])(
    "%s: aborts the handler's signal and cancels its calls downstream",
    async (how) => {
      const leafReasons: Promise<unknown>[] = [];
      const leaf = await startEchoServer({
        async echo(_request, context) {
          leafReasons.push(aborted(context.signal));
          await aborted(context.signal);
          throw context.signal.reason;
        },
      });
      let middleReason: Promise<unknown> | undefined;
      let downstreamError: unknown;
      const middle = await startEchoServer({
        async echo(request, context) {
          middleReason = aborted(context.signal);
          downstreamError = await rejection(leaf.client.echo(request));
          throw downstreamError;
        },
      });
      try {
        const call = rejection(middle.client.echo({ message: "x" }));
        await waitFor(() => leafReasons.length === 1, "the call to reach the leaf");
        if (how === "forced") {
          middle.server.forceShutdown();
        } else {
          await middle.server.shutdown({ graceMs: 50 });
        }
        const error = await call;
        expect(error).toBeInstanceOf(RpcError);
        const reason = (await middleReason) as RpcError;
        expect(reason.code).toBe(Code.UNAVAILABLE);
        expect(((await leafReasons[0]) as RpcError).code).toBe(Code.CANCELLED);
        await waitFor(() => downstreamError !== undefined, "the downstream call to fail");
        expect((downstreamError as RpcError).code).toBe(Code.CANCELLED);
      } finally {
        middle.close();
        leaf.close();
      }
    },
  );
});
