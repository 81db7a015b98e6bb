import * as grpc from "@grpc/grpc-js";
import { BenchServiceClient, BenchServiceService, Order, type Blob, type Small, type StreamRequest } from "../gen/ts-proto/bench.js";
import { cachedBy, countMessages, countUpload, listen, pingPongOver, uploadOver, writeSmalls, type Stack } from "./stack-support.js";

/** ts-proto with outputServices=grpc-js: its generated service and client over grpc-js. */
export const tsProtoGrpcJs: Stack = {
  name: "ts-proto (grpc-js)",
  async startServer() {
    const server = new grpc.Server();
    server.addService(BenchServiceService, {
      unary: (call: grpc.ServerUnaryCall<Small, Small>, cb: grpc.sendUnaryData<Small>) => cb(null, call.request),
      echo: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, call.request),
      echoBlob: (call: grpc.ServerUnaryCall<Blob, Blob>, cb: grpc.sendUnaryData<Blob>) => cb(null, call.request),
      upload: (call: grpc.ServerReadableStream<Small, StreamRequest>, cb: grpc.sendUnaryData<StreamRequest>) => countUpload(call, cb, (count) => ({ count })),
      stream: (call: grpc.ServerWritableStream<StreamRequest, Small>) => writeSmalls(call, call.request.count, (i) => ({ id: BigInt(i), name: "stream item" })),
      pingPong: (call: grpc.ServerDuplexStream<Small, Small>) => {
        call.on("data", (m: Small) => call.write(m));
        call.on("end", () => call.end());
      },
    });
    return listen(server);
  },
  connect(port) {
    const client = new BenchServiceClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const order = cachedBy((encoded: Uint8Array) => Order.decode(encoded));
    return {
      unary: (v) => new Promise((resolve, reject) => client.unary({ id: v.id, name: v.name }, (e) => (e ? reject(e) : resolve()))),
      blob: (data) =>
        new Promise((resolve, reject) =>
          client.echoBlob({ data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), id: 1n }, (e) => (e ? reject(e) : resolve())),
        ),
      echo: (encoded) => new Promise((resolve, reject) => client.echo(order(encoded), (e) => (e ? reject(e) : resolve()))),
      upload: (count) =>
        uploadOver(
          (cb) => client.upload(cb),
          count,
          (i) => ({ id: BigInt(i), name: "upload item" }),
          (response: StreamRequest) => response.count,
        ),
      stream: (count) => countMessages(client.stream({ count })),
      pingPong: () => pingPongOver(client.pingPong(), (v) => ({ id: v.id, name: v.name })),
      close: () => client.close(),
    };
  },
};
