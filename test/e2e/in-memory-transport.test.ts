import { create } from "@bufbuild/protobuf";
import { Code, RpcError, closeClient, createServer, type ServerCallContext } from "@stubwright/runtime";
import { getGrpcClient } from "@stubwright/runtime/channel";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import type { ClientInterceptor, ServerInterceptor } from "@stubwright/runtime/interceptors";
import { createFakeClient, createInMemoryTransport } from "@stubwright/runtime/testing";
import { describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { type EchoRequest, EchoRequestSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { createEchoService } from "../support/echo-service.js";

/** Resolves when `signal` aborts, with its reason. */
function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason), { once: true }));
}

/** Waits (bounded) until `value()` stops changing over a run of event-loop turns: a producer that is held back. */
async function settled(value: () => number): Promise<number> {
  let last = -1;
  let stable = 0;
  for (let turn = 0; turn < 100_000 && stable < 50; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = value();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

describe("the in-memory transport", () => {
  it("serves a server's handlers through its interceptors, with messages copied through the codec", async () => {
    const seen: string[] = [];
    const mark: ServerInterceptor = (next) => async (call) => {
      seen.push(`server ${call.method.methodName}`);
      return next(call);
    };
    let handled: EchoRequest | undefined;
    const server = createServer({ use: [mark], onError: () => {} }).add(EchoServiceDefinition, {
      echo(request) {
        handled = request;
        request.message = "changed by the handler";
        return { message: "reply" };
      },
    });
    const clientMark: ClientInterceptor = (next) => async (call) => {
      seen.push(`client ${call.method.methodName}`);
      return next(call);
    };
    const client = createEchoServiceClient(createInMemoryTransport(server), { use: [clientMark] });
    const request = create(EchoRequestSchema, { message: "original" });
    const response = await client.echo(request);
    expect(response.message).toBe("reply");
    expect(request.message).toBe("original");
    expect(handled).not.toBe(request);
    expect(seen).toEqual(["client Echo", "server Echo"]);
    expect(String(client)).toContain("in-memory");
  });

  it("carries request metadata, response headers and trailers, and status details", async () => {
    const client = createEchoServiceClient(
      createInMemoryTransport([
        [
          EchoServiceDefinition,
          {
            echo(request, context) {
              context.sendHeader({ "x-header": "h" });
              context.trailer.set("x-trailer", "t");
              throw new RpcError(Code.FAILED_PRECONDITION, `no ${context.metadata.get("x-ask")[0]}`, {
                details: [create(ErrorInfoSchema, { reason: "WHY", domain: request.message })],
              });
            },
          },
        ],
      ]),
    );
    let headers: unknown;
    const error = await client
      .echo({ message: "example.com" }, { metadata: { "x-ask": "thing" }, onHeader: (h) => (headers = h.get("x-header")) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    const rpcError = error as RpcError;
    expect(rpcError.code).toBe(Code.FAILED_PRECONDITION);
    expect(rpcError.rawMessage).toBe("no thing");
    expect(rpcError.findDetails(ErrorInfoSchema)).toEqual([expect.objectContaining({ reason: "WHY", domain: "example.com" })]);
    expect(rpcError.metadata.get("x-trailer")).toEqual(["t"]);
    expect(headers).toEqual(["h"]);
  });

  it("refuses metadata the wire would refuse, before the handler runs", async () => {
    let called = false;
    const client = createFakeClient(EchoServiceDefinition, {
      echo() {
        called = true;
        return {};
      },
    });
    const error = await client.echo({}, { metadata: { "Bad Key!": "x" } }).catch((e: unknown) => e);
    expect((error as RpcError).code).toBe(Code.INTERNAL);
    expect(called).toBe(false);
  });

  it("expires a call on both sides", async () => {
    let reason: Promise<unknown> | undefined;
    const client = createFakeClient(EchoServiceDefinition, {
      async echo(_request, context) {
        reason = aborted(context.signal);
        await reason;
        return {};
      },
    });
    const error = await client.echo({}, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect((error as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
    expect(((await reason) as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
  });

  it("propagates the deadline to calls made in a handler, which expire with it", async () => {
    let innerRemaining = 0;
    let innerReason: unknown;
    const inner = createFakeClient(EchoServiceDefinition, {
      async echo(_request, context) {
        innerRemaining = context.timeRemainingMs();
        innerReason = await aborted(context.signal);
        return {};
      },
    });
    const outer = createFakeClient(EchoServiceDefinition, { echo: () => inner.echo({}) });
    const error = await outer.echo({}, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect((error as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
    expect(innerRemaining).toBeLessThanOrEqual(200);
    expect(innerRemaining).toBeGreaterThan(0);
    await expect.poll(() => (innerReason as RpcError | undefined)?.code, { timeout: 30_000 }).toBe(Code.DEADLINE_EXCEEDED);
  });

  it("cancels the handler when the client aborts", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let reason: Promise<unknown> | undefined;
    const client = createFakeClient(EchoServiceDefinition, {
      async *expand(_request, context: ServerCallContext) {
        reason = aborted(context.signal);
        started();
        await reason;
        yield {};
      },
    });
    const controller = new AbortController();
    const reading = (async () => {
      for await (const _ of client.expand({}, { signal: controller.signal })) {
        // Nothing arrives before the abort.
      }
    })().catch((e: unknown) => e);
    await running;
    controller.abort();
    expect(((await reading) as RpcError).code).toBe(Code.CANCELLED);
    expect(((await reason) as RpcError).code).toBe(Code.CANCELLED);
  });

  it("holds a streaming handler back while the client does not read", async () => {
    let yielded = 0;
    const total = 1000;
    const client = createFakeClient(EchoServiceDefinition, {
      async *expand() {
        for (let index = 0; index < total; index++) {
          yielded++;
          yield { message: "x".repeat(1024), index };
        }
      },
    });
    const stream = client.expand({})[Symbol.asyncIterator]();
    expect((await stream.next()).value?.index).toBe(0);
    const held = await settled(() => yielded);
    expect(held).toBeLessThan(total / 4);
    let read = 1;
    while (!(await stream.next()).done) {
      read++;
    }
    expect(read).toBe(total);
  });

  it("holds a client's request stream back while the handler does not read", async () => {
    let written = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client = createFakeClient(EchoServiceDefinition, {
      async collect(requests) {
        await gate;
        let count = 0;
        for await (const _ of requests) {
          count++;
        }
        return { index: count };
      },
    });
    async function* requests() {
      for (let index = 0; index < 500; index++) {
        written++;
        yield { message: "m" };
      }
    }
    const answer = client.collect(requests());
    const held = await settled(() => written);
    expect(held).toBeLessThan(100);
    release();
    expect((await answer).index).toBe(500);
  });

  it("answers UNIMPLEMENTED for the methods a fake leaves out, and runs the rest", async () => {
    const client = createFakeClient(EchoServiceDefinition, { echo: (request) => ({ message: request.message.toUpperCase() }) });
    expect((await client.echo({ message: "hi" })).message).toBe("HI");
    const error = await client.legacyEcho({}).catch((e: unknown) => e);
    expect((error as RpcError).code).toBe(Code.UNIMPLEMENTED);
  });

  it("types each [definition, handlers] pair by its definition", () => {
    createInMemoryTransport([
      // @ts-expect-error: echo answers an EchoResponse, which has no field "nope".
      [EchoServiceDefinition, { echo: () => ({ nope: 1 }) }],
    ]);
  });

  it("is a client's transport to the end: no grpc-js client, and closed by closeClient", async () => {
    const client = createFakeClient(EchoServiceDefinition, { echo: () => ({}) });
    expect(() => getGrpcClient(client)).toThrow(/not a client over grpc-js/);
    await client.echo({});
    closeClient(client);
    const error = await client.echo({}).catch((e: unknown) => e);
    expect((error as RpcError).code).toBe(Code.UNAVAILABLE);
  });

  it("runs the shared echo service for every call kind", async () => {
    const client = createFakeClient(EchoServiceDefinition, createEchoService());
    async function* two() {
      yield { message: "a" };
      yield { message: "b" };
    }
    expect((await client.collect(two())).message).toBe("a,b");
    const chat: string[] = [];
    for await (const reply of client.chat(two())) {
      chat.push(reply.message);
    }
    expect(chat).toEqual(["a", "b"]);
    const expand: number[] = [];
    for await (const reply of client.expand({ repeat: 3 })) {
      expand.push(reply.index);
    }
    expect(expand).toEqual([0, 1, 2]);
  });
});
