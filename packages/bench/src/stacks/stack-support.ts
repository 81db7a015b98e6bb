import * as grpc from "@grpc/grpc-js";
import type { BenchServer } from "./stack.js";

export * from "./stack.js";

/** Binds a grpc-js server to a free loopback port. */
export function listen(server: grpc.Server): Promise<BenchServer> {
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) return reject(error);
      resolve({ port, close: () => new Promise<void>((done) => server.tryShutdown(() => done())) });
    });
  });
}
