import { connect, type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import { Code } from "@stubwright/runtime";
import { TestServiceDefinition } from "@stubwright/interop";
import { afterTurns, type CallPlan, type ClientOutcome } from "./cancel-points.js";
import { deferred } from "./echo-server.js";

// A gRPC client written directly on node:http2 that cancels the way grpc-go,
// grpc-java and Node's own `request(headers, { signal })` do: RST_STREAM
// (CANCEL) alone, never END_STREAM first. grpc-js's client cannot: its cancel
// closes the HTTP/2 stream with `close(NGHTTP2_CANCEL)`, which half-closes an
// idle request stream (END_STREAM) before it resets it.

/**
 * Runs `plans`, `concurrency` calls at a time, in rounds of `roundSize`. Each
 * worker has a connection of its own per round and makes its calls one after
 * another on it: a node:http2 client connection that resets many concurrent
 * streams at this rate was seen to fail as a whole (NGHTTP2_ERR_STREAM_CLOSED),
 * taking unrelated calls with it.
 */
export async function runRawPlans(address: string, plans: readonly CallPlan[], concurrency: number, roundSize: number): Promise<Map<number, ClientOutcome>> {
  const outcomes = new Map<number, ClientOutcome>();
  for (let start = 0; start < plans.length; start += roundSize) {
    const round = plans.slice(start, start + roundSize);
    let next = 0;
    const worker = async (): Promise<void> => {
      const session = connect(`http://${address}`);
      session.on("error", () => {});
      try {
        while (next < round.length) {
          const plan = round[next++]!;
          outcomes.set(plan.id, await rawCall(session, plan));
        }
      } finally {
        session.close();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  return outcomes;
}

const message = { payload: { body: new Uint8Array(8) } };
const frames = {
  client_streaming: frame(TestServiceDefinition.streamingInputCall.requestSerialize(message)),
  bidi: frame(TestServiceDefinition.fullDuplexCall.requestSerialize(message)),
};
const paths = {
  client_streaming: TestServiceDefinition.streamingInputCall.path,
  bidi: TestServiceDefinition.fullDuplexCall.path,
};

/** Makes one planned call; a deadline plan sends `grpc-timeout` and resets the call at that deadline. */
async function rawCall(session: ClientHttp2Session, plan: CallPlan): Promise<ClientOutcome> {
  const controller = new AbortController();
  const header = deferred();
  const closed = deferred();
  const headers: Record<string, string> = {
    ":method": "POST",
    ":path": paths[plan.kind],
    "content-type": "application/grpc",
    te: "trailers",
    "x-call-id": String(plan.id),
  };
  if (plan.waitForHeader) {
    headers["x-send-header"] = "1";
  }
  const timeoutMs = 5 + plan.turns * 15;
  if (plan.ending === "deadline") {
    headers["grpc-timeout"] = `${timeoutMs}m`;
  }
  const stream = session.request(headers, { signal: controller.signal });
  // Like every gRPC client, it resets the call at its own deadline too (the server's may end it first).
  const deadline = plan.ending === "deadline" ? setTimeout(() => controller.abort(), timeoutMs) : undefined;
  let status: number | undefined;
  const responses = createFrameReader();
  // Once the status is in, the call is over: the request side is reset too (gRPC clients do the same).
  const finish = (received: Record<string, unknown>): void => {
    status ??= Number(received["grpc-status"]);
    controller.abort();
  };
  stream.on("error", () => {});
  stream.on("response", (received) => {
    header.resolve();
    if (received["grpc-status"] !== undefined) {
      finish(received);
    }
  });
  stream.on("trailers", finish);
  stream.on("data", (chunk: Buffer) => {
    responses.push(chunk);
    if (plan.ending === "stop-reading" && responses.messages.length >= plan.messages && !controller.signal.aborted) {
      void afterTurns(plan.turns).then(() => controller.abort());
    }
  });
  stream.on("close", () => {
    clearTimeout(deadline);
    header.resolve();
    closed.resolve();
  });
  if (plan.waitForHeader) {
    await header.promise;
  }
  await writeMessages(stream, plan, controller, closed.promise);
  switch (plan.ending) {
    case "half-close":
      stream.end();
      break;
    case "abort":
    case "abort-then-return":
    case "iterable-throws":
      await afterTurns(plan.turns);
      controller.abort();
      break;
    default:
      break;
  }
  await closed.promise;
  status ??= Code.CANCELLED;
  if (status !== Code.OK) {
    return { code: status, count: -1 };
  }
  const count =
    plan.kind === "bidi"
      ? responses.messages.length
      : TestServiceDefinition.streamingInputCall.responseDeserialize(responses.messages[0]!).aggregatedPayloadSize;
  return { code: status, count };
}

/** Writes the plan's messages, each once the previous one is written; "abort-mid-write" aborts while the last is in flight. */
async function writeMessages(stream: ClientHttp2Stream, plan: CallPlan, controller: AbortController, closed: Promise<void>): Promise<void> {
  for (let index = 0; index < plan.messages && !stream.closed; index++) {
    const written = deferred();
    stream.write(frames[plan.kind], () => written.resolve());
    if (plan.ending === "abort-mid-write" && index === plan.messages - 1) {
      if (plan.turns === 0) {
        queueMicrotask(() => controller.abort());
      } else {
        void afterTurns(plan.turns).then(() => controller.abort());
      }
      return;
    }
    // A write in flight when the stream is reset may never complete.
    await Promise.race([written.promise, closed]);
  }
}

/** A gRPC length-prefixed message: uncompressed flag, big-endian length, bytes. */
function frame(bytes: Uint8Array): Buffer {
  const framed = Buffer.alloc(5 + bytes.length);
  framed.writeUInt32BE(bytes.length, 1);
  framed.set(bytes, 5);
  return framed;
}

/** Collects the gRPC messages of a response body, however its chunks split them. */
function createFrameReader(): { readonly messages: Buffer[]; push(chunk: Buffer): void } {
  let pending = Buffer.alloc(0);
  const messages: Buffer[] = [];
  return {
    messages,
    push(chunk) {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
        const end = 5 + pending.readUInt32BE(1);
        messages.push(pending.subarray(5, end));
        pending = pending.subarray(end);
      }
    },
  };
}
