import { closeClient, createServer, type ServerOptions, type StubwrightServer } from "@stubwright/runtime";
import { afterAll, beforeAll, expect } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient, type EchoServiceClient, type EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { ClientOptions, ClientSource } from "@stubwright/runtime";
import { realSetTimeout } from "./fake-clock.js";
import { grpcJsCase, type TransportCase } from "./transports.js";

/** An EchoService with test-specific handlers on 127.0.0.1:0 (or in memory), and a client for it. */
export interface EchoServer {
  readonly server: StubwrightServer;
  /** The port the server listens on; 0 when the transport is not the network. */
  readonly port: number;
  /** `127.0.0.1:<port>`; empty when the transport is not the network. */
  readonly address: string;
  /** What more clients for the server are created with: the address, or the transport. */
  readonly source: ClientSource;
  readonly client: EchoServiceClient;
  /** Closes the client and force-stops the server. */
  close(): void;
}

/** Starts an EchoService with `handlers` (missing ones answer UNIMPLEMENTED), reached over `transport` (default grpc-js). */
export async function startEchoServer(
  handlers: Partial<EchoServiceHandlers>,
  options: ServerOptions = {},
  clientOptions: ClientOptions = {},
  transport: TransportCase = grpcJsCase,
): Promise<EchoServer> {
  const server = createServer({ onError: () => {}, ...options }).add(EchoServiceDefinition, handlers);
  const source = await transport.connect(server);
  const address = typeof source === "string" ? source : "";
  const client = createEchoServiceClient(source, clientOptions);
  return {
    server,
    port: address === "" ? 0 : Number(address.slice(address.lastIndexOf(":") + 1)),
    address,
    source,
    client,
    close() {
      closeClient(client);
      server.forceShutdown();
    },
  };
}

/**
 * Records every unhandled rejection while the file's tests run and fails
 * the file if there was one.
 */
export function failOnUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  beforeAll(() => {
    process.on("unhandledRejection", listener);
  });
  afterAll(async () => {
    // Let late rejections of the last test surface before checking.
    await sleep(50);
    process.off("unhandledRejection", listener);
    expect(seen).toEqual([]);
  });
}

/** Yields `items`, one per tick. */
export async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    yield item;
  }
}

/** Resolves after `ms` milliseconds of real time, also while a test fakes the clock. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** A promise and the functions that settle it. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** Creates a {@link Deferred}. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when `signal` aborts. */
export function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(signal.reason);
    } else {
      signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
    }
  });
}

/** The RpcError (or other error) a promise rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Drains an async iterable, returning what it yielded, or the error it threw. */
export async function drain<T>(iterable: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of iterable) {
      items.push(item);
    }
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}
