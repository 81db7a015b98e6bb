import { Code, RpcError, closeClient, type CallOptions, type Metadata, type ServerCallContext } from "@stubwright/runtime";
import type { ClientInterceptor } from "@stubwright/runtime/interceptors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { callKind, kinds, uniformHandlers, type Kind } from "../support/call-kinds.js";
import { drain, failOnUnhandledRejections, fromArray, startEchoServer, type EchoServer } from "../support/echo-server.js";
import { transportCases } from "../support/transports.js";

failOnUnhandledRejections();

const binary = Buffer.from([0, 1, 2, 250, 255]);
let lastContext: ServerCallContext | undefined;
let echo: EchoServer;

describe.each(transportCases)("over $name", (transport) => {
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
      {},
      {},
      transport,
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
      const outcome = await callKind(echo.client, kind, { onHeader: (h) => headers.push(h), onTrailer: (t) => trailers.push(t) }, "ok");
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

  describe("invalid request metadata", () => {
    const passThrough: ClientInterceptor = (next) => (call) => next(call);
    let intercepted: EchoServiceClient;
    beforeAll(() => {
      intercepted = createEchoServiceClient(echo.source, { use: [passThrough] });
    });
    afterAll(() => closeClient(intercepted));

    /** Starts a call of `kind`: it must not throw, whatever the options. */
    function start(client: EchoServiceClient, kind: Kind, options: CallOptions): Promise<unknown> {
      switch (kind) {
        case "unary":
          return client.echo({ message: "m" }, options);
        case "server_streaming":
          return drain(client.expand({ message: "m", repeat: 1 }, options)).then(({ error }) => Promise.reject(error));
        case "client_streaming":
          return client.collect(fromArray([{ message: "m" }]), options);
        case "bidi_streaming":
          return drain(client.chat(fromArray([{ message: "m" }]), options)).then(({ error }) => Promise.reject(error));
      }
    }

    describe.each([
      { label: "without interceptors", client: () => echo.client },
      { label: "with interceptors", client: () => intercepted },
    ])("$label", ({ client }) => {
      it.each(kinds)("%s: the call rejects with INTERNAL before reaching the server, never throws", async (kind) => {
        lastContext = undefined;
        for (const metadata of [{ "bad key!": "v" }, { "x-text": "line\nbreak" }, { "x-data-bin": "not a buffer" }]) {
          let call: Promise<unknown> | undefined;
          expect(() => {
            call = start(client(), kind, { metadata });
          }).not.toThrow();
          const error = await call!.then(
            () => undefined,
            (reason: unknown) => reason,
          );
          expect(error).toBeInstanceOf(RpcError);
          expect((error as RpcError).code, String(error)).toBe(Code.INTERNAL);
          expect((error as RpcError).rawMessage).toContain("metadata");
          expect((error as RpcError).cause).toBeInstanceOf(Error);
        }
        expect(lastContext).toBeUndefined();
      });
    });
  });
});
