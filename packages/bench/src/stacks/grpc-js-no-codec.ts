import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { BlobSchema, SmallSchema, StreamRequestSchema } from "../gen/es/bench_pb.js";
import {
  cachedBy,
  countMessages,
  countUpload,
  listen,
  pingPongOver,
  uploadOver,
  writeSmalls,
  type BenchClient,
  type GenericClient,
  type SmallValue,
  type Stack,
} from "./stack-support.js";

// A control, not a stack anyone would pick: raw grpc-js moving bytes that were
// encoded before the timing began, and never decoding them. Whatever a stack on grpc-js does
// with messages, it still pays what this one pays, so its ratio to the
// baseline is the most any codec can gain in a scenario.

const passThrough = (bytes: Buffer): Buffer => bytes;

function bytesMethod(name: string, requestStream: boolean, responseStream: boolean) {
  return {
    path: `/stubwright.bench.v1.BenchService/${name}`,
    requestStream,
    responseStream,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  };
}

const definition = {
  Unary: bytesMethod("Unary", false, false),
  Echo: bytesMethod("Echo", false, false),
  EchoBlob: bytesMethod("EchoBlob", false, false),
  // The client needs the upload's count: one small decode per stream.
  Upload: { ...bytesMethod("Upload", true, false), responseDeserialize: (bytes: Buffer) => fromBinary(StreamRequestSchema, bytes).count },
  // The server needs the stream request's count: one small decode per 1,000 messages.
  Stream: { ...bytesMethod("Stream", false, true), requestDeserialize: (bytes: Buffer) => fromBinary(StreamRequestSchema, bytes).count },
  PingPong: bytesMethod("PingPong", true, true),
} satisfies grpc.ServiceDefinition;

function encode<S extends DescMessage>(schema: S, init: MessageInitShape<S>): Buffer {
  return Buffer.from(toBinary(schema, create(schema, init)));
}

/** Raw grpc-js with no codec: the ceiling of every codec (see above). */
export const grpcJsNoCodec: Stack = {
  name: "grpc-js, no codec (ceiling)",
  async startServer() {
    const server = new grpc.Server();
    const streamItem = encode(SmallSchema, { id: 0n, name: "stream item" });
    server.addService(definition, {
      Unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request),
      Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request),
      EchoBlob: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request),
      Upload: (call: grpc.ServerReadableStream<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
        countUpload(call, cb, (count) => encode(StreamRequestSchema, { count })),
      Stream: (call: grpc.ServerWritableStream<number, Buffer>) => writeSmalls(call, call.request, () => streamItem),
      PingPong: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
        call.on("data", (bytes: Buffer) => call.write(bytes));
        call.on("end", () => call.end());
      },
    });
    return listen(server);
  },
  connect(port) {
    const ClientConstructor = grpc.makeGenericClientConstructor(definition, "BenchService");
    const client = new ClientConstructor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as GenericClient;
    const unary = (name: string, bytes: Buffer) =>
      new Promise<void>((resolve, reject) => client[name]!(bytes, (err: Error | null) => (err ? reject(err) : resolve())));
    const small = cachedBy((value: SmallValue) => encode(SmallSchema, value));
    const blob = cachedBy((data: Uint8Array) => encode(BlobSchema, { data, id: 1n }));
    const order = cachedBy((encoded: Uint8Array) => Buffer.from(encoded));
    const uploadItem = encode(SmallSchema, { id: 0n, name: "upload item" });
    const api: BenchClient = {
      unary: (value) => unary("Unary", small(value)),
      blob: (data) => unary("EchoBlob", blob(data)),
      echo: (encoded) => unary("Echo", order(encoded)),
      upload: (count) =>
        uploadOver(
          (cb) => client.Upload!(cb) as grpc.ClientWritableStream<Buffer>,
          count,
          () => uploadItem,
          (n: number) => n,
        ),
      stream: (count) => countMessages(client.Stream!(encode(StreamRequestSchema, { count })) as grpc.ClientReadableStream<unknown>),
      pingPong: () => pingPongOver(client.PingPong!() as grpc.ClientDuplexStream<Buffer, Buffer>, small),
      close: () => client.close(),
    };
    return api;
  },
};
