// What Stubwright's server costs per streamed message, without the network:
// the adapters (the grpc-js handlers Stubwright builds around a handler)
// driven with fake grpc-js calls in object mode like grpc-js's own. Request
// streams: a client-streaming handler reading with for-await, against a raw
// grpc-js handler counting "data" events. Response streams: a server-streaming
// async generator, against a raw handler writing in a loop (waiting for
// "drain" when write() says so). Prints figures; asserts nothing.
//
//   npm run build && node packages/runtime/bench/streams.bench.mjs [rounds] [dist]
//
// `dist` (default ../dist) lets one compare two builds of the runtime.
import { Readable, Writable } from "node:stream";
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { Metadata } from "@grpc/grpc-js";
import { clientStreamingMethod, serverStreamingMethod } from "../dist/method-definition.js";

const rounds = Number(process.argv[2] ?? 9);
const dist = process.argv[3] ?? "../dist";
const { createMethodDispatcher: createGrpcHandler } = await import(`${dist}/server/method-handler.js`);
const messagesPerCall = 10_000;
const calls = 20; // per round
const method = clientStreamingMethod("/bench.Overhead/Collect", StringValueSchema, StringValueSchema);
const request = create(StringValueSchema, { value: "small message" });
const requestMetadata = new Metadata();
// The adapter's message path (no pre-serialized writes): the fake calls
// below take messages, not bytes.
const handlerSettings = { policy: { onError() {}, exposeInternalErrors: false }, tracker: new Set(), preSerialized: false, propagate: true };

/** A grpc-js server request stream: pushes messages as it is read, then ends. */
class FakeReadableCall extends Readable {
  metadata = requestMetadata;
  left = messagesPerCall;
  constructor() {
    super({ objectMode: true });
  }
  _read() {
    // grpc-js pushes each message as it arrives (a later turn), not in _read itself.
    setImmediate(() => {
      for (let index = 0; index < 16 && this.left > 0; index++, this.left--) {
        this.push(request);
      }
      if (this.left === 0) {
        this.push(null);
      }
    });
  }
  getPeer() {
    return "127.0.0.1:50000";
  }
  getDeadline() {
    return Infinity;
  }
  sendMetadata() {}
}

const stubwrightHandler = createGrpcHandler(
  method,
  async (requests) => {
    let count = 0;
    for await (const _ of requests) count++;
    return create(StringValueSchema, { value: String(count) });
  },
  handlerSettings,
);
const rawHandler = (call, callback) => {
  let count = 0;
  call.on("data", () => count++);
  call.on("end", () => callback(null, create(StringValueSchema, { value: String(count) })));
};

function serve(handler) {
  return new Promise((resolve, reject) => {
    handler(new FakeReadableCall(), (error, response) => {
      if (error) reject(error);
      else if (response.value !== String(messagesPerCall)) reject(new Error(`read ${response.value} messages`));
      else resolve();
    });
  });
}

/** A grpc-js server response stream: each write completes on a later turn, as a socket write would. */
class FakeWritableCall extends Writable {
  metadata = requestMetadata;
  request = create(StringValueSchema, { value: String(messagesPerCall) });
  written = 0;
  constructor(onEnd) {
    super({ objectMode: true });
    this.on("finish", () => onEnd(this.written));
    this.on("error", onEnd);
  }
  _write(_chunk, _encoding, callback) {
    this.written++;
    if (this.written % 16 === 0) setImmediate(callback);
    else callback();
  }
  end() {
    // grpc-js's end() takes trailing metadata; the fake has no use for it.
    return super.end();
  }
  getPeer() {
    return "127.0.0.1:50000";
  }
  getDeadline() {
    return Infinity;
  }
  sendMetadata() {}
}

const streamMethod = serverStreamingMethod("/bench.Overhead/Expand", StringValueSchema, StringValueSchema);
const stubwrightWriter = createGrpcHandler(
  streamMethod,
  async function* (request) {
    const count = Number(request.value);
    for (let index = 0; index < count; index++) yield request;
  },
  handlerSettings,
);
const rawWriter = (call) => {
  const count = Number(call.request.value);
  let index = 0;
  const pump = () => {
    while (index < count) {
      index++;
      if (!call.write(call.request)) {
        call.once("drain", pump);
        return;
      }
    }
    call.end();
  };
  pump();
};

function serveStream(handler) {
  return new Promise((resolve, reject) => {
    handler(
      new FakeWritableCall((written) => {
        if (written !== messagesPerCall) reject(written instanceof Error ? written : new Error(`wrote ${written} messages`));
        else resolve();
      }),
    );
  });
}

async function measureWith(serveOne, handler) {
  const start = process.hrtime.bigint();
  for (let call = 0; call < calls; call++) await serveOne(handler);
  return Number(process.hrtime.bigint() - start) / (calls * messagesPerCall);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function compare(title, serveOne, rawHandler, stubwrightHandler) {
  const results = { raw: [], stubwright: [] };
  await measureWith(serveOne, stubwrightHandler);
  await measureWith(serveOne, rawHandler);
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so drift on a shared machine hits both alike.
    const order = round % 2 === 0 ? ["raw", "stubwright"] : ["stubwright", "raw"];
    for (const id of order) results[id].push(await measureWith(serveOne, id === "raw" ? rawHandler : stubwrightHandler));
  }
  const raw = median(results.raw);
  const stubwright = median(results.stubwright);
  console.log(`${title}, ${messagesPerCall} messages/call, ns per message (median of ${rounds} rounds of ${calls} calls):`);
  console.log(`  raw grpc-js handler:  ${raw.toFixed(0)}`);
  console.log(`  Stubwright adapter:   ${stubwright.toFixed(0)}  (+${(stubwright - raw).toFixed(0)} ns/msg)`);
}

await compare("request stream (client streaming, for await)", serve, rawHandler, stubwrightHandler);
await compare("response stream (server streaming, async generator)", serveStream, rawWriter, stubwrightWriter);
