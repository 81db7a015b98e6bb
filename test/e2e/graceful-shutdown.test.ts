import { Code, RpcError, closeClient, createServer, type ServerCallContext, type StubwrightServer } from "@stubwright/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";

/** Resolves when `signal` aborts, with its reason. */
function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason), { once: true }));
}

let server: StubwrightServer;
let client: EchoServiceClient;
const handlerAborts: unknown[] = [];
let enteredCount = 0;
const enteredWaiters: { count: number; resolve: () => void }[] = [];

/** Resolves once `count` handlers are parked waiting. */
function handlersEntered(count: number): Promise<void> {
  return new Promise((resolve) => {
    if (enteredCount >= count) resolve();
    else enteredWaiters.push({ count, resolve });
  });
}

afterEach(() => {
  closeClient(client);
  server.forceShutdown();
});

/** An echo server whose Echo and Expand wait for `release` (or their signal) when asked to delay. */
async function start(release: Promise<void>): Promise<void> {
  handlerAborts.length = 0;
  enteredCount = 0;
  const wait = async (context: ServerCallContext) => {
    enteredCount++;
    for (const waiter of enteredWaiters.filter((w) => w.count <= enteredCount)) waiter.resolve();
    const reason = await Promise.race([release.then(() => undefined), aborted(context.signal)]);
    if (reason !== undefined) {
      handlerAborts.push(reason);
      throw reason;
    }
  };
  server = createServer({ onError: () => {} }).add(EchoServiceDefinition, {
    ...createEchoService(),
    async echo(request, context) {
      if (request.delayMs > 0) await wait(context);
      return { message: request.message };
    },
    async *expand(request, context) {
      yield { message: request.message, index: 0 };
      await wait(context);
      yield { message: request.message, index: 1 };
    },
  });
  const port = await server.listen("127.0.0.1:0");
  client = createEchoServiceClient(`127.0.0.1:${port}`);
}

describe("graceful shutdown", () => {
  it("lets in-flight calls finish within the grace period, refuses new ones, then resolves", async () => {
    let release!: () => void;
    await start(new Promise((resolve) => (release = resolve)));
    await client.echo({ message: "warm-up" });
    const inFlight = client.echo({ message: "in flight", delayMs: 1 });
    await handlersEntered(1);
    const shutdown = server.shutdown({ graceMs: 30_000 });
    const late = await client.echo({ message: "late" }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(RpcError);
    expect((late as RpcError).code).toBe(Code.UNAVAILABLE);
    release();
    expect((await inFlight).message).toBe("in flight");
    await shutdown;
    expect(handlerAborts).toEqual([]);
  });

  it("ends calls still running when the grace period ends: handler signals fire, clients get UNAVAILABLE", async () => {
    await start(new Promise(() => {}));
    const unary = client.echo({ message: "stuck", delayMs: 1 }).catch((e: unknown) => e);
    const stream = (async () => {
      const seen: number[] = [];
      try {
        for await (const response of client.expand({ message: "s" })) seen.push(response.index);
        return seen;
      } catch (error) {
        return { seen, error };
      }
    })();
    await handlersEntered(2);
    await server.shutdown({ graceMs: 100 });
    const unaryError = await unary;
    expect(unaryError).toBeInstanceOf(RpcError);
    expect((unaryError as RpcError).code).toBe(Code.UNAVAILABLE);
    const streamOutcome = (await stream) as { seen: number[]; error: unknown };
    expect(streamOutcome.seen).toEqual([0]);
    expect((streamOutcome.error as RpcError).code).toBe(Code.UNAVAILABLE);
    expect(handlerAborts).toHaveLength(2);
    for (const reason of handlerAborts) {
      expect(reason).toMatchObject({ code: Code.UNAVAILABLE });
    }
  });
});
