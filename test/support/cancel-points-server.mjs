// The server of the separate-process cancellation test (cancel-points.test.ts):
// a TestService whose client-streaming and bidi handlers record how their
// request stream ended: "ended" (normally, with the number of messages read),
// "threw" (with the error's code) or "closed" (the handler was stopped while
// reading). It also records what arrived on the wire: whether the client
// half-closed the HTTP/2 stream (END_STREAM while the stream was open) before
// any reset. On SIGTERM it shuts down gracefully, which waits for every
// handler, then prints both as one JSON line.
import http2 from "node:http2";
import { createServer } from "@stubwright/runtime";
import { TestServiceDefinition } from "@stubwright/interop";

/** Call id -> { outcome, count, code? }. */
const records = {};
/** Call id -> { halfClosed, rstCode }. */
const wire = {};

// Observes the HTTP/2 streams of the server grpc-js creates (test-only: the
// runtime itself never looks below grpc-js).
const createHttp2Server = http2.createServer;
http2.createServer = (...args) => {
  const server = createHttp2Server(...args);
  server.on("stream", (stream, headers) => {
    const entry = { halfClosed: false, rstCode: undefined };
    wire[headers["x-call-id"]] = entry;
    stream.on("end", () => (entry.halfClosed ||= !stream.closed));
    stream.on("close", () => (entry.rstCode = stream.rstCode));
  });
  return server;
};

/** Yields the handler's requests, recording how the request stream ended. */
async function* recorded(requests, context) {
  const id = context.metadata.get("x-call-id")[0];
  if (context.metadata.get("x-send-header").length > 0) {
    // The client waits for these headers before it counts down to its cancel.
    context.sendHeader();
  }
  let count = 0;
  let outcome = "closed";
  try {
    for await (const request of requests) {
      count++;
      yield request;
    }
    outcome = "ended";
  } catch (error) {
    records[id] = { outcome: "threw", count, code: error?.code };
    throw error;
  } finally {
    records[id] ??= { outcome, count };
  }
}

const server = createServer({ onError: () => {} }).add(TestServiceDefinition, {
  async streamingInputCall(requests, context) {
    let count = 0;
    for await (const request of recorded(requests, context)) {
      void request;
      count++;
    }
    return { aggregatedPayloadSize: count };
  },
  async *fullDuplexCall(requests, context) {
    // One answer per request keeps the response side busy when a cancel lands.
    for await (const request of recorded(requests, context)) {
      void request;
      yield { payload: { body: new Uint8Array(0) } };
    }
  },
});

const port = await server.listen("127.0.0.1:0");
process.once("SIGTERM", () => {
  void server.shutdown({ graceMs: 20_000 }).then(() => {
    process.stdout.write(`records ${JSON.stringify({ records, wire })}\n`, () => process.exit(0));
  });
});
console.log(`listening on port ${port}`);
