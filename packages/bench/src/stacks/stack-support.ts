import * as grpc from "@grpc/grpc-js";
import type { BenchClient, BenchServer, SmallValue } from "./stack.js";

export * from "./stack.js";

/** A client of makeGenericClientConstructor: grpc-js types its methods, keyed by name, only loosely. */
export type GenericClient = Record<string, (...args: unknown[]) => unknown> & grpc.Client;

/** Binds a grpc-js server to a free loopback port. */
export function listen(server: grpc.Server): Promise<BenchServer> {
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) return reject(error);
      resolve({ port, close: () => new Promise<void>((done) => server.tryShutdown(() => done())) });
    });
  });
}

/** Counts the messages of a grpc-js response stream; rejects on its error. */
export function countMessages(call: grpc.ClientReadableStream<unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    let count = 0;
    call.on("data", () => count++);
    call.on("error", reject);
    call.on("end", () => resolve(count));
  });
}

/**
 * A ping-pong driver over a grpc-js bidi stream: `ping` writes one message
 * (made by `toMessage`) and resolves when the next answer arrives.
 */
export function pingPongOver<T>(call: grpc.ClientDuplexStream<T, unknown>, toMessage: (value: SmallValue) => T): ReturnType<BenchClient["pingPong"]> {
  let waiting: (() => void) | undefined;
  call.on("data", () => waiting?.());
  call.on("error", () => undefined);
  return {
    ping: (value) =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        call.write(toMessage(value));
      }),
    close: () => call.end(),
  };
}
