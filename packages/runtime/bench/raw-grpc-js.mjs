// Raw grpc-js, as a benchmark's reference stack uses it: a server whose
// handlers call back or write in a loop, and a client that calls
// makeUnaryRequest / makeServerStreamRequest directly. Shared by
// bench:over-grpc-js and bench:codec-ceiling so both measure the same code.
import { Client, Server, ServerCredentials, credentials } from "@grpc/grpc-js";

/**
 * Serves `definition` with `handlers` on 127.0.0.1 and connects a client to
 * it. Returns the client and `stop()`, which closes both.
 */
export async function startRawGrpcJs(definition, handlers) {
  const server = new Server();
  server.addService(definition, handlers);
  const port = await new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  return {
    client,
    async stop() {
      client.close();
      await new Promise((resolve) => server.tryShutdown(resolve));
    },
  };
}

/** A server-streaming handler that writes `count` messages made by `make(index)`, waiting for "drain" when told to. */
export function writeLoop(count, make) {
  return (call) => {
    let index = 0;
    const writeSome = () => {
      while (index < count) {
        const message = make(index++);
        if (!call.write(message)) {
          call.once("drain", writeSome);
          return;
        }
      }
      call.end();
    };
    writeSome();
  };
}

/** One unary call of `method` (a grpc-js method definition) in a Promise. */
export function unaryCall(client, method, request) {
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}

/** One server-streaming call of `method`; resolves with how many messages arrived ("data" events). */
export function countStream(client, method, request) {
  return new Promise((resolve, reject) => {
    let count = 0;
    const call = client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, request);
    call.on("data", () => count++);
    call.on("error", reject);
    call.on("end", () => resolve(count));
  });
}
