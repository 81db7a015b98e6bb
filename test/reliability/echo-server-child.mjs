// Child process of the reliability suite: the fixture EchoService on Stubwright's
// runtime, whose handlers tell the parent (over IPC) how each call went, keyed by
// the `x-call-id` request header. Started by server-child.ts:
//
//   echo-server-child.mjs [address]      (default 127.0.0.1:0)
//
// Requests steer the handlers: a last message "hold" waits for the call to be
// cancelled (or to pass its deadline) instead of answering; Expand with repeat 0
// streams until the call is aborted; delay_ms waits before each response. The
// parent may ask { type: "inflight" }: how many handlers are still running.
import { setImmediate as nextTurn } from "node:timers/promises";
import { Code, RpcError, createServer } from "@stubwright/runtime";
import { EchoServiceDefinition } from "../golden/js-dts/fixture/echo/v1/echo_grpc.js";

let inflight = 0;

function send(message) {
  process.send?.(message);
}

function codeOf(error) {
  return error instanceof RpcError ? error.code : undefined;
}

/**
 * Reports a handler's start now and its end (how its request stream ended, how
 * the handler ended, and why its signal aborted) when `finish` is called.
 */
function begin(method, context) {
  const id = context.metadata.get("x-call-id")[0] ?? "";
  inflight++;
  send({ type: "start", id, method });
  const record = {
    type: "finish",
    id,
    method,
    requestEnd: "none",
    requestCode: undefined,
    count: 0,
    last: undefined,
    outcome: "returned",
    code: undefined,
    abortCode: undefined,
  };
  return {
    record,
    fail(error) {
      record.outcome = "threw";
      record.code = codeOf(error);
    },
    finish() {
      inflight--;
      if (context.signal.aborted) record.abortCode = codeOf(context.signal.reason);
      send(record);
    },
  };
}

/** Reads the request stream, recording each message and whether the stream ended normally or failed. */
async function* recorded(requests, record) {
  try {
    for await (const request of requests) {
      record.count++;
      record.last = request.message;
      yield request;
    }
    record.requestEnd = "normal";
  } catch (error) {
    record.requestEnd = "error";
    record.requestCode = codeOf(error);
    throw error;
  }
}

/** Waits until the call is aborted, then throws its reason, so a held handler ends with the call's status. */
async function hold(signal) {
  if (!signal.aborted) {
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  }
  throw signal.reason instanceof RpcError ? signal.reason : new RpcError(Code.CANCELLED);
}

/** Waits `ms` (a turn of the event loop for 0), or less if the call is aborted first. */
function pause(ms, signal) {
  if (ms === 0) return nextTurn();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

const handlers = {
  async echo(request, context) {
    const call = begin("unary", context);
    try {
      if (request.message === "hold") await hold(context.signal);
      await pause(request.delayMs, context.signal);
      return { message: request.message };
    } catch (error) {
      call.fail(error);
      throw error;
    } finally {
      call.finish();
    }
  },

  async *expand(request, context) {
    const call = begin("server_streaming", context);
    try {
      for (let index = 0; request.repeat === 0 || index < request.repeat; index++) {
        await pause(request.delayMs, context.signal);
        if (context.signal.aborted) await hold(context.signal);
        yield { message: request.message, index };
      }
    } catch (error) {
      call.fail(error);
      throw error;
    } finally {
      call.finish();
    }
  },

  async collect(requests, context) {
    const call = begin("client_streaming", context);
    try {
      const messages = [];
      for await (const request of recorded(requests, call.record)) messages.push(request.message);
      if (messages.at(-1) === "hold") await hold(context.signal);
      return { message: messages.join(","), index: messages.length };
    } catch (error) {
      call.fail(error);
      throw error;
    } finally {
      call.finish();
    }
  },

  async *chat(requests, context) {
    const call = begin("bidi_streaming", context);
    try {
      let index = 0;
      for await (const request of recorded(requests, call.record)) {
        yield { message: request.message, index: index++ };
      }
      if (call.record.last === "hold") await hold(context.signal);
    } catch (error) {
      call.fail(error);
      throw error;
    } finally {
      call.finish();
    }
  },
};

process.on("message", (message) => {
  if (message?.type === "inflight") send({ type: "inflight", count: inflight });
});

const server = createServer({ onError: () => {} }).add(EchoServiceDefinition, handlers);
const port = await server.listen(process.argv[2] ?? "127.0.0.1:0");
console.log(`echo server listening on port ${port}`);
