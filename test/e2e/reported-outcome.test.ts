import { SpanStatusCode } from "@opentelemetry/api";
import { Code, createServer, type StubwrightServer } from "@stubwright/runtime";
import { loggingInterceptor, observeOutcome, type CallLogEntry, type ServerInterceptor } from "@stubwright/runtime/interceptors";
import { serverTracingInterceptor } from "@stubwright/runtime/opentelemetry";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient, type EchoServiceClient, type EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { drain, failureOf } from "../support/call-outcome.js";
import { aborted, deferred, failOnUnhandledRejections, startEchoServer, type Deferred } from "../support/echo-server.js";
import { createInMemoryTracer, type RecordedSpan } from "../support/in-memory-tracer.js";
import { writesWaitForFlowControl } from "../support/http2-write-completion.js";
import { startRawGrpcCall, type RawGrpcCall } from "../support/raw-grpc-call.js";

/** Whether a server can tell that a stream's last messages were sent (see the test that needs it). */
const writesWaitForPeer = await writesWaitForFlowControl();

// What the server reports about a call (to its error hook, the logging
// interceptor and the tracing interceptor) is the status the client
// received: also when the call ended early and the handler answered anyway,
// and when the handler's answer could not be sent.

failOnUnhandledRejections();

/** The server's send limit: a response larger than this is RESOURCE_EXHAUSTED. */
const maxSendBytes = 1024;

const tracer = createInMemoryTracer();
const reportedErrors: { error: unknown; method: string }[] = [];
let logged: Deferred<CallLogEntry>;
/** Resolves when the handler of the current test is waiting for its call to end. */
let waiting: Deferred<void>;
/** Resolves when the streaming handler of the current test has returned. */
let returned: Deferred<void>;

/** What each handler does, chosen by the request message. */
const handlers: Partial<EchoServiceHandlers> = {
  async echo(request, context) {
    switch (request.message) {
      case "return-after-abort":
        waiting.resolve();
        await aborted(context.signal);
        return { message: "answered after the call ended" };
      case "unserializable":
        // A uint32 field holding a negative number: the encoder refuses it.
        return { index: -1 };
      case "too-large":
        return { message: "x".repeat(maxSendBytes * 4) };
      default:
        return { message: request.message };
    }
  },
  async *expand(request, context) {
    try {
      yield { message: "first" };
      switch (request.message) {
        case "return-after-abort":
          waiting.resolve();
          await aborted(context.signal);
          return;
        case "unserializable":
          yield { index: -1 };
          return;
        case "too-large":
          yield { message: "x".repeat(maxSendBytes * 4) };
          return;
        case "queued":
          // More than the server hands HTTP/2 ahead of its writes completing (write-ahead.ts: 32 messages).
          for (let i = 0; i < 40; i++) yield { message: "queued" };
          return;
      }
    } finally {
      returned.resolve();
    }
  },
};

let server: StubwrightServer;
let address: string;
let client: EchoServiceClient;
beforeAll(async () => {
  server = createServer({
    grpc: { "grpc.max_send_message_length": maxSendBytes },
    onError: (error, info) => reportedErrors.push({ error, method: info.method.path }),
    use: [loggingInterceptor({ log: (entry) => logged.resolve(entry) }), serverTracingInterceptor({ tracer })],
  }).add(EchoServiceDefinition, handlers);
  address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
  client = createEchoServiceClient(address);
});
afterAll(() => {
  server.forceShutdown();
});
beforeEach(() => {
  tracer.spans.length = 0;
  reportedErrors.length = 0;
  logged = deferred();
  waiting = deferred();
  returned = deferred();
});

const echoPath = EchoServiceDefinition.echo.path;
const expandPath = EchoServiceDefinition.expand.path;

/** The one server span of the test, ended. */
function serverSpan(): RecordedSpan {
  expect(tracer.spans).toHaveLength(1);
  const span = tracer.spans[0] as RecordedSpan;
  expect(span.endTime).toBeDefined();
  return span;
}

/**
 * Starts a call through a bare HTTP/2 client (no timer of its own) with a
 * 500 ms deadline, ample for the server to receive the request and run the
 * handler before it passes.
 */
function callWithDeadline(path: string): RawGrpcCall {
  const request = EchoServiceDefinition.echo.requestSerialize({ message: "return-after-abort" });
  return startRawGrpcCall(address, path, request, { headers: { "grpc-timeout": "500m" } });
}

describe("a call that ended before the handler answered", () => {
  it("is CANCELLED when the client cancelled a unary call, though the handler returned a response", async () => {
    const controller = new AbortController();
    const call = client.echo({ message: "return-after-abort" }, { signal: controller.signal });
    await waiting.promise;
    controller.abort();
    expect((await failureOf(call)).code).toBe(Code.CANCELLED);
    const entry = await logged.promise;
    expect(entry).toMatchObject({ method: { path: echoPath }, code: Code.CANCELLED });
    expect(entry.error).toMatchObject({ code: Code.CANCELLED });
    expect(serverSpan().attributes["rpc.grpc.status_code"]).toBe(Code.CANCELLED);
    expect(reportedErrors).toEqual([]);
  });

  it("is CANCELLED when the client cancelled a response stream, though the handler ended it normally", async () => {
    const controller = new AbortController();
    const responses = client.expand({ message: "return-after-abort" }, { signal: controller.signal })[Symbol.asyncIterator]();
    expect((await responses.next()).value).toMatchObject({ message: "first" });
    await waiting.promise;
    controller.abort();
    expect((await failureOf(responses.next())).code).toBe(Code.CANCELLED);
    expect(await logged.promise).toMatchObject({ method: { path: expandPath }, code: Code.CANCELLED });
    expect(serverSpan().attributes["rpc.grpc.status_code"]).toBe(Code.CANCELLED);
  });

  it.each([
    ["a unary call", echoPath],
    ["a response stream", expandPath],
  ])("is DEADLINE_EXCEEDED when the deadline passed first, for %s, though the handler returned", async (_kind, path) => {
    const call = callWithDeadline(path);
    try {
      expect(await call.status).toMatchObject({ code: Code.DEADLINE_EXCEEDED });
      const entry = await logged.promise;
      expect(entry).toMatchObject({ method: { path }, code: Code.DEADLINE_EXCEEDED });
      const span = serverSpan();
      expect(span.attributes["rpc.grpc.status_code"]).toBe(Code.DEADLINE_EXCEEDED);
      expect(span.status).toMatchObject({ code: SpanStatusCode.ERROR });
      expect(reportedErrors).toEqual([]);
    } finally {
      call.close();
    }
  });

  // Where Node completes writes before the data may be sent, a finished stream says nothing about delivery,
  // and no public grpc-js API does: the outcome is then the one the handler ended with (docs/interceptors.md).
  it.skipIf(!writesWaitForPeer)("is CANCELLED when the client cancelled while the stream's last messages were still queued", async () => {
    // A client that lets no response data through: the handler's messages
    // wait in the server's stream when the handler returns, more of them than
    // the server acknowledges before their writes complete.
    const request = EchoServiceDefinition.expand.requestSerialize({ message: "queued" });
    const call = startRawGrpcCall(address, expandPath, request, { settings: { initialWindowSize: 0 } });
    try {
      await returned.promise;
      // The runtime hands the stream's end to grpc-js in the promise
      // reactions that follow the handler's return; they all run before
      // this macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      call.cancel();
      expect(await call.status).toBeUndefined();
      expect(await logged.promise).toMatchObject({ method: { path: expandPath }, code: Code.CANCELLED });
      expect(serverSpan().attributes["rpc.grpc.status_code"]).toBe(Code.CANCELLED);
    } finally {
      call.close();
    }
  });
});

describe("a response that cannot be sent", () => {
  /** Checks what the error hook, the log entry and the span say: `code`, caused by the response. */
  async function expectReported(path: string, code: Code, cause: RegExp): Promise<void> {
    const entry = await logged.promise;
    expect(entry).toMatchObject({ method: { path }, code });
    expect(reportedErrors).toHaveLength(1);
    const [reported] = reportedErrors;
    expect(reported?.method).toBe(path);
    expect(reported?.error).toMatchObject({ name: "UnsendableResponseError", status: { code } });
    expect((reported!.error as Error).message).toMatch(cause);
    expect(entry.error).toBe(reported?.error);
    expect(serverSpan().attributes["rpc.grpc.status_code"]).toBe(code);
  }

  it("that does not serialize is INTERNAL for the client, the error hook, the log and the span: unary", async () => {
    const error = await failureOf(client.echo({ message: "unserializable" }));
    expect(error.code).toBe(Code.INTERNAL);
    expect(error.rawMessage).toBe("Error serializing response");
    await expectReported(echoPath, Code.INTERNAL, /cannot serialize the response of .*invalid uint32: -1/);
    expect(serverSpan().status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect((reportedErrors[0]!.error as Error).cause).toBeInstanceOf(Error);
  });

  it("that does not serialize is INTERNAL for the client, the error hook, the log and the span: server streaming", async () => {
    const { messages, error } = await drain(client.expand({ message: "unserializable" }));
    expect(messages.map((response) => response.message)).toEqual(["first"]);
    expect(error?.code).toBe(Code.INTERNAL);
    expect(error?.rawMessage).toBe("Error serializing response");
    await expectReported(expandPath, Code.INTERNAL, /cannot serialize the response of .*invalid uint32: -1/);
    expect(serverSpan().status).toMatchObject({ code: SpanStatusCode.ERROR });
  });

  it.each([
    ["unary", echoPath],
    ["server streaming", expandPath],
  ])("over the send limit is RESOURCE_EXHAUSTED for the client, the error hook, the log and the span: %s", async (kind, path) => {
    const outcome =
      kind === "unary" ? { messages: [], error: await failureOf(client.echo({ message: "too-large" })) } : await drain(client.expand({ message: "too-large" }));
    expect(outcome.error?.code).toBe(Code.RESOURCE_EXHAUSTED);
    expect(outcome.error?.rawMessage).toMatch(/^Sent message larger than max \(\d+ vs\. 1024\)$/);
    await expectReported(path, Code.RESOURCE_EXHAUSTED, /larger than the send limit/);
  });
});

describe("an outcome listener that throws", () => {
  it("leaves the call's status alone and goes to the error hook", async () => {
    const failure = new Error("listener failed");
    const errors: { error: unknown; method: string }[] = [];
    const hookCalled = deferred();
    const throwing: ServerInterceptor = (next) => (call) =>
      observeOutcome(call, next(call), () => {
        throw failure;
      });
    const echo = await startEchoServer(handlers, {
      use: [throwing],
      onError: (error, info) => {
        errors.push({ error, method: info.method.path });
        hookCalled.resolve();
      },
    });
    try {
      expect((await echo.client.echo({ message: "fine" })).message).toBe("fine");
      await hookCalled.promise;
      expect(errors).toEqual([{ error: failure, method: echoPath }]);
    } finally {
      echo.close();
    }
  });
});
