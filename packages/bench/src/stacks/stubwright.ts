import { closeClient, createServer, type ServerOptions } from "@stubwright/runtime";
import { fromBinary } from "@bufbuild/protobuf";
import { BenchServiceDefinition, createBenchServiceClient } from "../gen/es/bench_grpc.js";
import { OrderSchema } from "../gen/es/bench_pb.js";
import { cachedBy, countIterable, countRequests, pingPongIterable, smallsIterable, type Stack } from "./stack.js";

/** Stubwright: generated definition, runtime client and server, compiled codec. */
export const stubwright = createStubwrightStack("Stubwright", {});

/**
 * Stubwright serving as a leaf service (`propagate: false`): handlers do not
 * enter the AsyncLocalStorage context outbound calls inherit from, which on
 * Node 20 and 22 turns on promise hooks for the whole server process.
 */
export const stubwrightLeaf = createStubwrightStack("Stubwright, propagate: false", { propagate: false });

function createStubwrightStack(name: string, serverOptions: ServerOptions): Stack {
  return {
    name,
    async startServer() {
      const server = createServer(serverOptions).add(BenchServiceDefinition, {
        unary: (request) => request,
        echo: (request) => request,
        echoBlob: (request) => request,
        upload: countRequests,
        async *stream(request) {
          for (let i = 0; i < request.count; i++) yield { id: BigInt(i), name: "stream item" };
        },
        async *pingPong(requests) {
          for await (const request of requests) yield request;
        },
      });
      const port = await server.listen("127.0.0.1:0");
      return { port, close: () => server.shutdown({ graceMs: 1000 }) };
    },
    connect(port) {
      const client = createBenchServiceClient(`127.0.0.1:${port}`);
      const order = cachedBy((encoded: Uint8Array) => fromBinary(OrderSchema, encoded));
      return {
        echo: (encoded) => client.echo(order(encoded)).then(() => undefined),
        upload: (count) => client.upload(smallsIterable(count, (i) => ({ id: BigInt(i), name: "upload item" }))).then((response) => response.count),
        unary: (v) => client.unary(v).then(() => undefined),
        blob: (data) => client.echoBlob({ data, id: 1n }).then(() => undefined),
        stream: (count) => countIterable(client.stream({ count })),
        pingPong: () =>
          pingPongIterable(
            (v) => v,
            (requests) => client.pingPong(requests),
          ),
        close: () => closeClient(client),
      };
    },
  };
}
