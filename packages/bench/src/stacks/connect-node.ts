import { createServer as createHttp2Server, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { createClient, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter, createGrpcTransport } from "@connectrpc/connect-node";
import { create, fromBinary } from "@bufbuild/protobuf";
import { file_bench, OrderSchema, SmallSchema } from "../gen/es/bench_pb.js";
import { cachedBy, countIterable, countRequests, pingPongIterable, smallsIterable, type Stack } from "./stack.js";

// Connect-ES v2 takes protobuf-es's service descriptor directly.
const BenchService = file_bench.services[0]!;

/** @connectrpc/connect-node speaking the gRPC protocol (server and client). */
export const connectNode: Stack = {
  name: "connect-node (gRPC)",
  async startServer() {
    const routes = (router: ConnectRouter) =>
      router.service(BenchService, {
        unary: (request: unknown) => request,
        echo: (request: unknown) => request,
        echoBlob: (request: unknown) => request,
        upload: countRequests,
        async *stream(request: { count: number }) {
          for (let i = 0; i < request.count; i++) yield create(SmallSchema, { id: BigInt(i), name: "stream item" });
        },
        async *pingPong(requests: AsyncIterable<unknown>) {
          for await (const request of requests) yield request;
        },
      } as never);
    const server: Http2Server = createHttp2Server(connectNodeAdapter({ routes, grpc: true, connect: false, grpcWeb: false }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      port: (server.address() as AddressInfo).port,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
  connect(port) {
    const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` });
    const client = createClient(BenchService, transport) as unknown as {
      unary(v: unknown): Promise<unknown>;
      echo(v: unknown): Promise<unknown>;
      echoBlob(v: unknown): Promise<unknown>;
      upload(v: AsyncIterable<unknown>): Promise<{ count: number }>;
      stream(v: unknown): AsyncIterable<unknown>;
      pingPong(v: AsyncIterable<unknown>): AsyncIterable<unknown>;
    };
    const order = cachedBy((encoded: Uint8Array) => fromBinary(OrderSchema, encoded));
    return {
      unary: (v) => client.unary({ id: v.id, name: v.name }).then(() => undefined),
      echo: (encoded) => client.echo(order(encoded)).then(() => undefined),
      upload: (count) => client.upload(smallsIterable(count, (i) => ({ id: BigInt(i), name: "upload item" }))).then((response) => response.count),
      blob: (data) => client.echoBlob({ data, id: 1n }).then(() => undefined),
      stream: (count) => countIterable(client.stream({ count })),
      pingPong: () =>
        pingPongIterable(
          (v) => ({ id: v.id, name: v.name }),
          (requests) => client.pingPong(requests),
        ),
      close: () => undefined,
    };
  },
};
