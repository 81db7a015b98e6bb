import { Code, RpcError, type ServerCallContext } from "@stubwright/runtime";
import type { Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callKind, kinds, uniformHandlers } from "../support/call-kinds.js";
import { failOnUnhandledRejections, startEchoServer, type EchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

const binary = Buffer.from([0, 1, 2, 250, 255]);
let lastContext: ServerCallContext | undefined;
let echo: EchoServer;

beforeAll(async () => {
  echo = await startEchoServer(
    uniformHandlers(async (context, message) => {
      lastContext = context;
      if (message.startsWith("send-")) {
        context.sendHeader({ "x-sent": "early" });
      }
      context.header.set("x-header", "h1");
      context.header.set("x-header-bin", binary);
      context.trailer.set("x-trailer", "t1");
      context.trailer.set("x-trailer-bin", binary);
      if (message.endsWith("fail")) {
        throw new RpcError(Code.FAILED_PRECONDITION, "refused", { metadata: { "x-error-detail": "why" } });
      }
      return message;
    }),
  );
});
afterAll(() => echo.close());

describe.each(kinds)("%s", (kind) => {
  it("the server sees the request headers, including a -bin value", async () => {
    const outcome = await callKind(echo.client, kind, {
      metadata: { "x-tenant": "acme", "x-trace-bin": binary, "x-multi": ["a", "b"] },
    });
    expect(outcome.error).toBeUndefined();
    const metadata = lastContext!.metadata;
    expect(metadata.get("x-tenant")).toEqual(["acme"]);
    expect(metadata.get("x-trace-bin")).toEqual([binary]);
    // HTTP/2 carries repeated text values as one comma-joined header.
    expect(metadata.get("x-multi")).toEqual(["a, b"]);
    expect(metadata.get("grpc-timeout")).toEqual([]);
  });

  it("response headers and trailers reach onHeader and onTrailer", async () => {
    const headers: Metadata[] = [];
    const trailers: Metadata[] = [];
    const outcome = await callKind(
      echo.client,
      kind,
      { onHeader: (h) => headers.push(h), onTrailer: (t) => trailers.push(t) },
      "ok",
    );
    expect(outcome.error).toBeUndefined();
    expect(headers).toHaveLength(1);
    expect(headers[0]!.get("x-header")).toEqual(["h1"]);
    expect(headers[0]!.get("x-header-bin")).toEqual([binary]);
    expect(trailers).toHaveLength(1);
    expect(trailers[0]!.get("x-trailer")).toEqual(["t1"]);
    expect(trailers[0]!.get("x-trailer-bin")).toEqual([binary]);
  });

  it("sendHeader sends the headers before the response", async () => {
    const headers: Metadata[] = [];
    const outcome = await callKind(echo.client, kind, { onHeader: (h) => headers.push(h) }, "send-ok");
    expect(outcome.error).toBeUndefined();
    expect(headers).toHaveLength(1);
    expect(headers[0]!.get("x-sent")).toEqual(["early"]);
    // Headers added after sendHeader are not sent.
    expect(headers[0]!.get("x-header")).toEqual([]);
  });

  it("a failed call carries the trailers and headers on the RpcError and still calls onTrailer", async () => {
    const trailers: Metadata[] = [];
    const outcome = await callKind(echo.client, kind, { onTrailer: (t) => trailers.push(t) }, "fail");
    const error = outcome.error as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.rawMessage).toBe("refused");
    expect(error.metadata.get("x-trailer")).toEqual(["t1"]);
    expect(error.metadata.get("x-trailer-bin")).toEqual([binary]);
    expect(error.metadata.get("x-error-detail")).toEqual(["why"]);
    expect(error.headers.get("x-header")).toEqual(["h1"]);
    expect(trailers).toHaveLength(1);
    expect(trailers[0]!.get("x-trailer")).toEqual(["t1"]);
  });

  it("headers sent with sendHeader before a failure reach the RpcError", async () => {
    const outcome = await callKind(echo.client, kind, {}, "send-fail");
    const error = outcome.error as RpcError;
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.headers.get("x-sent")).toEqual(["early"]);
  });
});
