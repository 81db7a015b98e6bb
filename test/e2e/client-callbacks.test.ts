import { Code, RpcError, type ServerCallContext } from "@stubwright/runtime";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callKind, kinds, uniformHandlers } from "../support/call-kinds.js";
import { aborted, failOnUnhandledRejections, startEchoServer, type EchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

/** Exceptions that escaped to the process while a test ran: there must be none. */
const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => {
  uncaught.push(error);
};

/** The handlers' contexts, with the reason each call's signal aborted with (if it did). */
const served: { context: ServerCallContext; reason: Promise<unknown> }[] = [];
let echo: EchoServer;

beforeAll(async () => {
  process.on("uncaughtException", onUncaught);
  // "hang" sends the headers, then waits for the call to end: only a cancel on the wire ends it.
  echo = await startEchoServer(
    uniformHandlers(async (context, message) => {
      served.push({ context, reason: aborted(context.signal) });
      context.trailer.set("x-trailer", "t");
      if (message === "hang") {
        context.sendHeader();
        await aborted(context.signal);
      }
      if (message === "fail") {
        throw new RpcError(Code.FAILED_PRECONDITION, "refused");
      }
      return message;
    }),
  );
});
afterAll(() => {
  echo.close();
  process.off("uncaughtException", onUncaught);
});
afterEach(() => {
  served.length = 0;
  expect(uncaught.splice(0)).toEqual([]);
});

const boom = new Error("callback bug");

describe.each(kinds)("%s", (kind) => {
  it("an onHeader that throws cancels the call, which fails with CANCELLED caused by the error", async () => {
    const outcome = await callKind(
      echo.client,
      kind,
      {
        onHeader: () => {
          throw boom;
        },
      },
      "hang",
    );
    const error = outcome.error as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(Code.CANCELLED);
    expect(error.cause).toBe(boom);
    expect(error.rawMessage).toContain("onHeader");
    // The server saw the cancel: nothing else would end its call.
    expect(served).toHaveLength(1);
    expect(((await served[0]!.reason) as RpcError).code).toBe(Code.CANCELLED);
  });

  it("an RpcError thrown by onHeader is the call's error", async () => {
    const denied = new RpcError(Code.PERMISSION_DENIED, "header says no");
    const outcome = await callKind(
      echo.client,
      kind,
      {
        onHeader: () => {
          throw denied;
        },
      },
      "hang",
    );
    expect(outcome.error).toBe(denied);
  });

  it("an onTrailer that throws fails a call that succeeded", async () => {
    const outcome = await callKind(
      echo.client,
      kind,
      {
        onTrailer: (trailers) => {
          expect(trailers.get("x-trailer")).toEqual(["t"]);
          throw boom;
        },
      },
      "ok",
    );
    const error = outcome.error as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(Code.CANCELLED);
    expect(error.cause).toBe(boom);
    expect(error.rawMessage).toContain("onTrailer");
  });

  it("a call that failed keeps its own status when onTrailer throws", async () => {
    const outcome = await callKind(
      echo.client,
      kind,
      {
        onTrailer: () => {
          throw boom;
        },
      },
      "fail",
    );
    const error = outcome.error as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.rawMessage).toBe("refused");
  });

  it("the client still works after a callback threw", async () => {
    const outcome = await callKind(echo.client, kind, {}, "ok");
    expect(outcome.error).toBeUndefined();
    expect(outcome.responses.map((response) => response.message)).toEqual(["ok"]);
  });
});
