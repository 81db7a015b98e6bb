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

/** What a grpc-js writable call offers for writing with backpressure (server or client side). */
interface WritableCall<T> {
  write(message: T): boolean;
  once(event: "drain", listener: () => void): unknown;
  end(): void;
}

/** Writes `count` messages made by `make`, honouring grpc-js backpressure, then ends the call. */
export function writeSmalls<T>(call: WritableCall<T>, count: number, make: (i: number) => T): void {
  let i = 0;
  const pump = (): void => {
    while (i < count) {
      if (!call.write(make(i++))) {
        call.once("drain", pump);
        return;
      }
    }
    call.end();
  };
  pump();
}

/** A grpc-js client-streaming call: `start` opens it with its callback. */
export function uploadOver<T, R>(
  start: (callback: (error: Error | null, response?: R) => void) => WritableCall<T>,
  count: number,
  make: (i: number) => T,
  countOf: (response: R) => number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = start((error, response) => (error ? reject(error) : resolve(countOf(response as R))));
    writeSmalls(call, count, make);
  });
}

/** The server side of a grpc-js client-streaming call: counts the messages, answers with `toResponse(count)`. */
export function countUpload<R>(call: grpc.ServerReadableStream<unknown, R>, callback: grpc.sendUnaryData<R>, toResponse: (count: number) => R): void {
  let count = 0;
  call.on("data", () => count++);
  call.on("end", () => callback(null, toResponse(count)));
}
