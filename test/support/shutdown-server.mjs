// A server process for shutdown tests: every EchoService call kind parks
// until its signal aborts. Prints "listening <port>", then "in-flight" once a
// call of each kind is parked; a "shutdown" line on stdin then stops the
// server as argv[2] says ("grace": shutdown with a grace period that runs out,
// "force": forceShutdown), after which it prints "stopped" and exits when
// nothing is left running.
//
// Each handler's abort listener copies its signal's reason code into the
// `x-signal-reason` trailer: a client that receives it knows the signal fired
// before the status was sent.
import { createInterface } from "node:readline";
import { createServer } from "@stubwright/runtime";
import { EchoServiceDefinition } from "../golden/js-dts/fixture/echo/v1/echo_grpc.js";

const mode = process.argv[2];
if (mode !== "grace" && mode !== "force") {
  throw new Error(`usage: shutdown-server.mjs grace|force (got ${mode})`);
}

const kinds = new Set(["unary", "server_streaming", "client_streaming", "bidi_streaming"]);
const parked = new Set();

/** Waits until the call's signal aborts, then fails with its reason. */
async function park(kind, context) {
  const reason = await new Promise((resolve) => {
    context.signal.addEventListener(
      "abort",
      () => {
        context.trailer.set("x-signal-reason", String(context.signal.reason?.code));
        resolve(context.signal.reason);
      },
      { once: true },
    );
    parked.add(kind);
    if (parked.size === kinds.size) {
      process.stdout.write("in-flight\n");
    }
  });
  throw reason;
}

const server = createServer({ onError: () => {} }).add(EchoServiceDefinition, {
  // No response headers yet: the status goes out as a trailers-only response.
  async echo(_request, context) {
    return park("unary", context);
  },
  // Headers and a message already sent: the status goes out as trailers.
  async *expand(request, context) {
    yield { message: request.message, index: 0 };
    await park("server_streaming", context);
  },
  // The request stream is still open; headers already sent.
  async collect(requests, context) {
    const iterator = requests[Symbol.asyncIterator]();
    await iterator.next();
    context.sendHeader();
    return park("client_streaming", context);
  },
  async *chat(requests, context) {
    const iterator = requests[Symbol.asyncIterator]();
    const first = await iterator.next();
    yield { message: first.value?.message ?? "", index: 0 };
    await park("bidi_streaming", context);
  },
});

const port = await server.listen("127.0.0.1:0");
process.stdout.write(`listening ${port}\n`);

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line !== "shutdown") {
    return;
  }
  // No more commands: stdin must not keep the process alive.
  lines.close();
  process.stdin.destroy();
  const stopped = mode === "grace" ? server.shutdown({ graceMs: 100 }) : server.forceShutdown();
  void stopped.then(() => process.stdout.write("stopped\n"));
});
