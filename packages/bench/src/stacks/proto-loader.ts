import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";
import { cachedBy, countMessages, countUpload, listen, pingPongOver, uploadOver, writeSmalls, type Stack } from "./stack-support.js";

// @grpc/proto-loader: the .proto loaded at runtime (protobufjs reflection),
// int64 as strings (its usual `longs: String`), grpc-js's dynamic client.
const definition = loadSync(fileURLToPath(new URL("../../../proto/bench.proto", import.meta.url)), {
  longs: String,
  enums: Number,
  defaults: false,
  oneofs: true,
});
const pkg = grpc.loadPackageDefinition(definition) as unknown as {
  stubwright: { bench: { v1: { BenchService: grpc.ServiceClientConstructor } } };
};
const Service = pkg.stubwright.bench.v1.BenchService;

type Callback = (error: grpc.ServiceError | null, value?: unknown) => void;

/** @grpc/proto-loader with grpc-js. */
export const protoLoader: Stack = {
  name: "@grpc/proto-loader",
  async startServer() {
    const server = new grpc.Server();
    server.addService(Service.service, {
      Unary: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, call.request),
      Echo: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, call.request),
      EchoBlob: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, call.request),
      Upload: (call: grpc.ServerReadableStream<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => countUpload(call, cb, (count) => ({ count })),
      Stream: (call: grpc.ServerWritableStream<{ count: number }, unknown>) =>
        writeSmalls(call, call.request.count, (i) => ({ id: String(i), name: "stream item" })),
      PingPong: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
        call.on("data", (m: unknown) => call.write(m));
        call.on("end", () => call.end());
      },
    });
    return listen(server);
  },
  connect(port) {
    const client = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as grpc.Client &
      Record<string, (...args: unknown[]) => unknown>;
    const unary = (name: string, request: unknown) =>
      new Promise<void>((resolve, reject) => client[name]!(request, ((e) => (e ? reject(e) : resolve())) as Callback));
    // Decoded as proto-loader's users get messages: by the method's own deserializer.
    const order = cachedBy((encoded: Uint8Array) => Service.service.Echo!.requestDeserialize(Buffer.from(encoded)));
    return {
      unary: (v) => unary("Unary", { id: String(v.id), name: v.name }),
      blob: (data) => unary("EchoBlob", { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), id: "1" }),
      echo: (encoded) => unary("Echo", order(encoded)),
      upload: (count) =>
        uploadOver(
          (cb) => client.Upload!(cb) as grpc.ClientWritableStream<unknown>,
          count,
          (i) => ({ id: String(i), name: "upload item" }),
          (response: { count: number }) => response.count,
        ),
      stream: (count) => countMessages(client.Stream!({ count }) as grpc.ClientReadableStream<unknown>),
      pingPong: () => pingPongOver(client.PingPong!() as grpc.ClientDuplexStream<unknown, unknown>, (v) => ({ id: String(v.id), name: v.name })),
      close: () => client.close(),
    };
  },
};
