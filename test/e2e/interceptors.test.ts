import { Code, RpcError, closeClient, createServer, type ServerCallContext, type StubwrightServer } from "@stubwright/runtime";
import {
  bearerAuthInterceptor,
  bearerTokenInterceptor,
  createContextKey,
  loggingInterceptor,
  type CallLogEntry,
  type ClientInterceptor,
  type ServerInterceptor,
} from "@stubwright/runtime/interceptors";
import { afterEach, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";
import { type TransportCase, transportCases } from "../support/transports.js";

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) {
    items.push(item);
  }
  return items;
}

const started: { server: StubwrightServer; client: EchoServiceClient }[] = [];
afterEach(() => {
  for (const { server, client } of started.splice(0)) {
    closeClient(client);
    server.forceShutdown();
  }
});

async function startWith(
  transport: TransportCase,
  serverUse: readonly ServerInterceptor[],
  clientUse: readonly ClientInterceptor[] = [],
  handlers = createEchoService(),
): Promise<EchoServiceClient> {
  const server = createServer({ onError: () => {}, use: serverUse }).add(EchoServiceDefinition, handlers);
  const client = await transport.makeClient(server, createEchoServiceClient, { use: clientUse });
  started.push({ server, client });
  return client;
}

/** Upper-cases every request message, single or streamed: proves interceptors see request streams. */
const upperCaseRequests: ServerInterceptor = (next) => (call) => {
  const upper = (m: unknown) => Object.assign(m as { message: string }, { message: (m as { message: string }).message.toUpperCase() });
  async function* mapStream(source: AsyncIterable<unknown>) {
    for await (const item of source) yield upper(item);
  }
  return next({ ...call, request: call.method.requestStream ? mapStream(call.request as AsyncIterable<unknown>) : upper(call.request) });
};

/** Appends "!" to every response, single or streamed, and adds a request header the handler sees. */
const decorateResponses: ServerInterceptor = (next) => async (call) => {
  call.metadata.set("x-intercepted", call.method.kind);
  const result = await next(call);
  const mark = (m: unknown) => ({ ...(m as object), message: `${(m as { message: string }).message}!` });
  async function* mapStream(source: AsyncIterable<unknown>) {
    for await (const item of source) yield mark(item);
  }
  return { response: call.method.responseStream ? mapStream(result.response as AsyncIterable<unknown>) : mark(result.response) };
};

describe.each(transportCases)("over $name", (transport) => {
  const start = (...args: Parameters<typeof startWith> extends [TransportCase, ...infer R] ? R : never) => startWith(transport, ...args);

  describe("server interceptors", () => {
    it("see and change requests, responses and metadata in all four call kinds", async () => {
      const client = await start([decorateResponses, upperCaseRequests]);
      const unary = await client.echo({ message: "a" });
      expect(unary.message).toBe("A!");
      expect(unary.seenMetadata["x-intercepted"]).toBe("unary");
      const expanded = await collect(client.expand({ message: "b", repeat: 2 }));
      expect(expanded.map((r) => r.message)).toEqual(["B!", "B!"]);
      expect(expanded[0]?.seenMetadata["x-intercepted"]).toBe("server_streaming");
      const collected = await client.collect(fromArray([{ message: "c" }, { message: "d" }]));
      expect(collected.message).toBe("C,D!");
      const chat = await collect(client.chat(fromArray([{ message: "e" }, { message: "f" }])));
      expect(chat.map((r) => r.message)).toEqual(["E!", "F!"]);
      expect(chat[1]?.seenMetadata["x-intercepted"]).toBe("bidi_streaming");
    });

    it("short-circuit with an RpcError before the handler runs, for unary and streaming calls", async () => {
      let handlerRan = false;
      const deny: ServerInterceptor = () => async () => {
        throw new RpcError(Code.RESOURCE_EXHAUSTED, "quota");
      };
      const handlers = createEchoService();
      const client = await start([deny], [], {
        ...handlers,
        echo: (request, context) => {
          handlerRan = true;
          return handlers.echo(request, context);
        },
      });
      await expect(client.echo({ message: "x" })).rejects.toMatchObject({ code: Code.RESOURCE_EXHAUSTED, rawMessage: "quota" });
      await expect(collect(client.chat(fromArray([{ message: "x" }])))).rejects.toMatchObject({ code: Code.RESOURCE_EXHAUSTED });
      expect(handlerRan).toBe(false);
    });
  });

  describe("client interceptors", () => {
    it("add metadata and run outermost first, for unary and streaming calls", async () => {
      const order: string[] = [];
      const tag =
        (name: string): ClientInterceptor =>
        (next) =>
        (call) => {
          order.push(name);
          call.metadata.add("x-chain", name);
          return next(call);
        };
      const client = await start([], [tag("outer"), tag("inner")]);
      const response = await client.echo({ message: "m" }, { metadata: { "x-own": "kept" } });
      expect(response.seenMetadata).toMatchObject({ "x-chain": "outer, inner", "x-own": "kept" });
      const streamed = await collect(client.expand({ message: "m", repeat: 1 }));
      expect(streamed[0]?.seenMetadata["x-chain"]).toBe("outer, inner");
      expect(order).toEqual(["outer", "inner", "outer", "inner"]);
    });

    it("short-circuit without a network call; streams stay lazy until iterated", async () => {
      let calls = 0;
      const offline: ClientInterceptor = () => async () => {
        calls++;
        throw new RpcError(Code.UNAVAILABLE, "offline mode");
      };
      const client = await start([], [offline]);
      await expect(client.echo({})).rejects.toMatchObject({ code: Code.UNAVAILABLE });
      const stream = client.expand({ repeat: 1 });
      expect(calls).toBe(1);
      await expect(collect(stream)).rejects.toMatchObject({ code: Code.UNAVAILABLE });
      expect(calls).toBe(2);
    });
  });

  describe("bearer auth interceptor pair", () => {
    const principalKey = createContextKey<{ user: string } | undefined>(undefined, "principal");
    const auth = bearerAuthInterceptor({
      key: principalKey,
      verify: (token) => (token === "secret-alice" ? { user: "alice" } : undefined),
      exempt: (method) => method.methodName === "LegacyEcho",
    });
    const handlers = {
      ...createEchoService(),
      echo: (_request: unknown, context: ServerCallContext) => ({
        message: context.values.get(principalKey)?.user ?? "nobody",
      }),
    };

    it("passes the verified principal to the handler through the context", async () => {
      const client = await start([auth], [bearerTokenInterceptor(async () => "secret-alice")], handlers);
      expect((await client.echo({})).message).toBe("alice");
    });

    it("answers UNAUTHENTICATED without a token and PERMISSION_DENIED for a bad one", async () => {
      const anonymous = await start([auth], [], handlers);
      await expect(anonymous.echo({})).rejects.toMatchObject({ code: Code.UNAUTHENTICATED });
      await expect(collect(anonymous.expand({ repeat: 1 }))).rejects.toMatchObject({ code: Code.UNAUTHENTICATED });
      expect((await anonymous.legacyEcho({ message: "open" })).message).toBe("open");
      const intruder = await start([auth], [bearerTokenInterceptor("stolen")], handlers);
      await expect(intruder.echo({})).rejects.toMatchObject({ code: Code.PERMISSION_DENIED });
    });
  });

  describe("logging interceptor", () => {
    it("reports method, status and duration when calls (and streams) end, on both sides", async () => {
      const serverLog: CallLogEntry[] = [];
      const clientLog: CallLogEntry[] = [];
      const client = await start([loggingInterceptor({ log: (e) => serverLog.push(e) })], [loggingInterceptor({ log: (e) => clientLog.push(e) })]);
      // How long each call took as the test saw it: a bound on both sides' entries,
      // which are written within that interval.
      const measuredMs: number[] = [];
      const timed = async (call: () => Promise<unknown>): Promise<void> => {
        const started = performance.now();
        await call().catch(() => {});
        measuredMs.push(performance.now() - started);
      };
      await timed(() => client.echo({ message: "ok" }));
      await timed(() => client.echo({ failCode: Code.NOT_FOUND }));
      await timed(() => collect(client.expand({ repeat: 3, delayMs: 5 })));
      await timed(() => client.echo({ throwPlain: "boom" }));
      for (const log of [serverLog, clientLog]) {
        expect(log.map((e) => [e.method.methodName, e.code])).toEqual([
          ["Echo", Code.OK],
          ["Echo", Code.NOT_FOUND],
          ["Expand", Code.OK],
          ["Echo", Code.UNKNOWN],
        ]);
        // The stream's entry is written when the stream ends, after its three 5 ms delays.
        expect(log[2]?.durationMs).toBeGreaterThanOrEqual(10);
        log.forEach((entry, index) => {
          expect(entry.durationMs).toBeGreaterThan(0);
          expect(entry.durationMs).toBeLessThanOrEqual(measuredMs[index] as number);
        });
      }
    });
  });
});
