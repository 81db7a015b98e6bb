import { Code, RpcError } from "@stubwright/runtime";
import { connect, constants, type ClientHttp2Stream, type OutgoingHttpHeaders } from "node:http2";
import { describe, expect, it } from "vitest";
import { pathOf } from "../support/call-kinds.js";
import { aborted, deferred, failOnUnhandledRejections, rejection, startEchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

describe("server shutdown and the handler's signal", () => {
  it.each(["forced", "graceful, after the grace period"])(
    "%s: aborts the handler's signal, cancels its calls downstream, ends the call UNAVAILABLE",
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
        expect((error as RpcError).code).toBe(Code.UNAVAILABLE);
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

/** The gRPC headers of a raw HTTP/2 call: a POST to `path`. */
function grpcHeaders(path: string): OutgoingHttpHeaders {
  return { ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" };
}

/** One gRPC message frame carrying an empty message. */
const emptyMessage = Buffer.alloc(5);

/** Resolves with the status of a trailers-only response, or how the stream was reset without one. */
function trailersOnlyStatus(stream: ClientHttp2Stream): Promise<{ code: string; message: string }> {
  stream.on("error", () => {});
  return new Promise((resolve) => {
    stream.once("response", (headers) => resolve({ code: String(headers["grpc-status"]), message: decodeURIComponent(String(headers["grpc-message"])) }));
    stream.once("close", () => resolve({ code: "none", message: `stream reset with HTTP/2 code ${stream.rstCode}` }));
  });
}

describe("server shutdown and a call whose handler starts after the others were ended", () => {
  it("ends it with UNAVAILABLE too, as soon as its handler starts", async () => {
    const reasons: unknown[] = [];
    const parked = deferred();
    const echo = await startEchoServer({
      async echo(_request, context) {
        parked.resolve();
        reasons.push(await aborted(context.signal));
        throw context.signal.reason;
      },
    });
    const session = connect(`http://${echo.address}`);
    session.on("error", () => {});
    try {
      // Opened first, but its request is sent only after the shutdown ended
      // the other call: a unary handler starts once its request is complete.
      const late = session.request(grpcHeaders(pathOf.unary));
      const early = session.request(grpcHeaders(pathOf.unary));
      early.end(emptyMessage);
      const earlyStatus = trailersOnlyStatus(early);
      const lateStatus = trailersOnlyStatus(late);
      // Frames arrive in order: the late call is known to the server by now.
      await parked.promise;
      const shutdown = echo.server.forceShutdown();
      expect(await earlyStatus).toEqual({ code: String(Code.UNAVAILABLE), message: "Server shutting down" });
      late.end(emptyMessage);
      expect(await lateStatus).toEqual({ code: String(Code.UNAVAILABLE), message: "Server shutting down" });
      session.close();
      await shutdown;
      expect(reasons).toMatchObject([{ code: Code.UNAVAILABLE }, { code: Code.UNAVAILABLE }]);
    } finally {
      session.destroy();
      echo.close();
    }
  });
});

describe("server shutdown and a client that reads nothing", () => {
  it("still ends: the handler's signal fires, and the connection is reset once the status cannot get through", async () => {
    const parked = deferred();
    let reason: unknown;
    const echo = await startEchoServer({
      async *expand(_request, context) {
        yield { message: "held back by flow control" };
        parked.resolve();
        reason = await aborted(context.signal);
      },
    });
    // A raw HTTP/2 client with a stream window of 0: the server can send it
    // headers but no DATA, so the response message, and the status behind
    // it, never get through.
    const session = connect(`http://${echo.address}`, { settings: { initialWindowSize: 0 } });
    session.on("error", () => {});
    try {
      const stream = session.request(grpcHeaders(pathOf.server_streaming));
      stream.on("error", () => {});
      const closed = new Promise<void>((resolve) => stream.once("close", resolve));
      stream.end(emptyMessage);
      await parked.promise;
      await echo.server.forceShutdown();
      expect(reason).toMatchObject({ code: Code.UNAVAILABLE });
      await closed;
      expect(stream.rstCode).not.toBe(constants.NGHTTP2_NO_ERROR);
    } finally {
      session.destroy();
      echo.close();
    }
  }, 30_000);
});
