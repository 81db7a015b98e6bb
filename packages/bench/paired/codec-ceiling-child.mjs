// One mode of bench:codec-ceiling, in a process of its own: raw grpc-js,
// server and client, with the codec the parent names, answering batch
// requests (see isolated-rounds.mjs).
import { create, toBinary } from "@bufbuild/protobuf";
import { serveBatches } from "../../runtime/bench/isolated-rounds.mjs";
import { runConcurrently } from "../../runtime/bench/paired-rounds.mjs";
import { countStream, startRawGrpcJs, unaryCall, writeLoop } from "../../runtime/bench/raw-grpc-js.mjs";
import { BlobSchema, SmallSchema, StreamRequestSchema } from "../dist/src/gen/es/bench_pb.js";
import { compiledCodec } from "../dist/src/stacks/grpc-js-compiled.js";
import { protobufEsCodec } from "../dist/src/stacks/grpc-js-raw.js";
import { blobCalls, blobConcurrency, streamCalls, streamLength } from "./codec-ceiling-scenarios.mjs";

const blob = create(BlobSchema, { data: new Uint8Array(64 * 1024).fill(7), id: 1n });
const streamRequest = create(StreamRequestSchema, { count: streamLength });
const item = (index) => create(SmallSchema, { id: BigInt(index), name: "stream item" });

/**
 * The codecs: how each mode turns messages into bytes and back. "none"
 * passes bytes through: its client sends a request encoded before timing,
 * its server echoes the bytes it got and streams one item encoded at start,
 * so no serialization happens while timing; what it costs is grpc-js alone.
 */
const codecs = {
  "protobuf-es": protobufEsCodec,
  compiled: compiledCodec,
  none: { serialize: () => (bytes) => bytes, deserialize: () => (bytes) => bytes },
};

const codecName = process.argv[2];
const codec = codecs[codecName];
const bytesOnly = codecName === "none";
const encoded = (schema, message) => Buffer.from(toBinary(schema, message));
const blobBytes = encoded(BlobSchema, blob);
const blobMessage = bytesOnly ? blobBytes : blob;
const requestMessage = bytesOnly ? encoded(StreamRequestSchema, streamRequest) : streamRequest;
const encodedItem = encoded(SmallSchema, item(0));

const method = (path, input, output, responseStream) => ({
  path,
  requestStream: false,
  responseStream,
  requestSerialize: codec.serialize(input),
  requestDeserialize: codec.deserialize(input),
  responseSerialize: codec.serialize(output),
  responseDeserialize: codec.deserialize(output),
});
const definition = {
  echoBlob: method("/stubwright.bench.v1.BenchService/EchoBlob", BlobSchema, BlobSchema, false),
  stream: method("/stubwright.bench.v1.BenchService/Stream", StreamRequestSchema, SmallSchema, true),
};

const { client, stop } = await startRawGrpcJs(definition, {
  echoBlob: (call, callback) => callback(null, call.request),
  stream: writeLoop(streamLength, bytesOnly ? () => encodedItem : item),
});
const echoBlob = () => unaryCall(client, definition.echoBlob, blobMessage);

async function streamBatch() {
  for (let call = 0; call < streamCalls; call++) {
    const count = await countStream(client, definition.stream, requestMessage);
    if (count !== streamLength) {
      throw new Error(`streamed ${count} of ${streamLength}`);
    }
  }
}

// Every mode must echo the whole blob, or its figures mean nothing.
const echoed = await echoBlob();
const echoedBytes = bytesOnly ? echoed.length : toBinary(BlobSchema, echoed).length;
if (echoedBytes !== blobBytes.length) {
  throw new Error(`${codecName}: echoed ${echoedBytes} bytes`);
}

const batches = { blob: () => runConcurrently(blobCalls, blobConcurrency, echoBlob), stream: streamBatch };
serveBatches((scenario) => batches[scenario](), stop);
