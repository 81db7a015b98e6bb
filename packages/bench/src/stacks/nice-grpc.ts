import { createChannel, createClient, createServer } from "nice-grpc";
import { BenchServiceDefinition, Order } from "../gen/nice/bench.js";
import { cachedBy, countIterable, countRequests, pingPongIterable, smallsIterable, type Stack } from "./stack.js";

/** nice-grpc with ts-proto generated definitions. */
export const niceGrpc: Stack = {
  name: "nice-grpc (ts-proto)",
  async startServer() {
    const server = createServer();
    server.add(BenchServiceDefinition, {
      unary: async (request) => request,
      echo: async (request) => request,
      echoBlob: async (request) => request,
      upload: countRequests,
      async *stream(request) {
        for (let i = 0; i < request.count; i++) yield { id: BigInt(i), name: "stream item" };
      },
      async *pingPong(requests) {
        for await (const request of requests) yield request;
      },
    });
    const port = await server.listen("127.0.0.1:0");
    return { port, close: () => server.shutdown() };
  },
  connect(port) {
    const channel = createChannel(`127.0.0.1:${port}`);
    const client = createClient(BenchServiceDefinition, channel);
    const order = cachedBy((encoded: Uint8Array) => Order.decode(encoded));
    return {
      unary: (v) => client.unary({ id: v.id, name: v.name }).then(() => undefined),
      blob: (data) => client.echoBlob({ data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), id: 1n }).then(() => undefined),
      echo: (encoded) => client.echo(order(encoded)).then(() => undefined),
      upload: (count) => client.upload(smallsIterable(count, (i) => ({ id: BigInt(i), name: "upload item" }))).then((response) => response.count),
      stream: (count) => countIterable(client.stream({ count })),
      pingPong: () =>
        pingPongIterable(
          (v) => ({ id: v.id, name: v.name }),
          (requests) => client.pingPong(requests),
        ),
      close: () => channel.close(),
    };
  },
};
