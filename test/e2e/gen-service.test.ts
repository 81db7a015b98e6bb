import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  closeClient,
  Code,
  createClient,
  createServer,
  RpcError,
  type MaybePromise,
  type ServerCallContext,
  type ServiceClient,
  type ServiceHandlers,
  type StubwrightServer,
} from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { EchoServiceDefinition, type EchoServiceClient, type EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoService, type EchoRequest, type EchoRequestSchema, type EchoResponse, type EchoResponseSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { FlakyServiceDefinition } from "../golden/ts/fixture/retry/v1/flaky_grpc.js";
import { FlakyService } from "../golden/ts/fixture/retry/v1/flaky_pb.js";
import { Promise as PromiseService } from "../golden/ts/naming/words/v1/words_pb.js";
import { createEchoService } from "../support/echo-service.js";

// createClient and server.add take protoc-gen-es's GenService as it is: the
// client and the handlers are typed from its method shapes, and the calls
// behave as with the generated definition.

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return all;
}

describe("a GenService as the service", () => {
  let server: StubwrightServer;
  let client: ServiceClient<typeof EchoService>;
  beforeAll(async () => {
    server = createServer({ onError: () => {} }).add(EchoService, createEchoService());
    client = createClient(EchoService, `127.0.0.1:${await server.listen("127.0.0.1:0")}`);
  });
  afterAll(async () => {
    closeClient(client);
    await server.forceShutdown();
  });

  it("serves and calls every kind over 127.0.0.1", async () => {
    expect((await client.echo({ message: "hello" })).message).toBe("hello");
    expect((await collect(client.expand({ message: "x", repeat: 3 }))).map((response) => response.index)).toEqual([0, 1, 2]);
    expect((await client.collect(fromArray([{ message: "a" }, { message: "b" }]))).message).toBe("a,b");
    expect((await collect(client.chat(fromArray([{ message: "1" }, { message: "2" }])))).map((response) => response.message)).toEqual(["1", "2"]);
  });

  it("answers UNIMPLEMENTED for a method without a handler", async () => {
    const error = await client.unimplemented({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(Code.UNIMPLEMENTED);
  });

  it("is converted once: the generated definition is the same object", () => {
    expect(server.definitions).toEqual([EchoServiceDefinition]);
    expect(server.definitions[0]).toBe(EchoServiceDefinition);
  });

  it("types the client from the method shapes", () => {
    expectTypeOf(client.echo).parameter(0).toEqualTypeOf<MessageInitShape<typeof EchoRequestSchema>>();
    expectTypeOf(client.echo).returns.toEqualTypeOf<Promise<EchoResponse>>();
    expectTypeOf(client.expand).returns.toEqualTypeOf<AsyncIterable<EchoResponse>>();
    expectTypeOf(client.collect).parameter(0).toEqualTypeOf<AsyncIterable<MessageInitShape<typeof EchoRequestSchema>>>();
    expectTypeOf(client.collect).returns.toEqualTypeOf<Promise<EchoResponse>>();
    expectTypeOf(client.chat).returns.toEqualTypeOf<AsyncIterable<EchoResponse>>();
    expectTypeOf(client).toExtend<EchoServiceClient>();
    expectTypeOf<keyof typeof client>().toEqualTypeOf<keyof EchoServiceClient>();
    // @ts-expect-error: the request of echo has no field `mesage`.
    expect(() => client.echo({ mesage: "typo" })).toBeTypeOf("function");
  });

  it("types the handlers from the method shapes", () => {
    type Handlers = ServiceHandlers<typeof EchoService>;
    expectTypeOf<Handlers["echo"]>().parameters.toEqualTypeOf<[EchoRequest, ServerCallContext]>();
    expectTypeOf<Handlers["echo"]>().returns.toEqualTypeOf<MaybePromise<MessageInitShape<typeof EchoResponseSchema>>>();
    expectTypeOf<Handlers["expand"]>().returns.toEqualTypeOf<AsyncIterable<MessageInitShape<typeof EchoResponseSchema>>>();
    expectTypeOf<Handlers["collect"]>().parameter(0).toEqualTypeOf<AsyncIterable<EchoRequest>>();
    expectTypeOf<Handlers["chat"]>().parameter(0).toEqualTypeOf<AsyncIterable<EchoRequest>>();
    expectTypeOf<Handlers>().toExtend<EchoServiceHandlers>();
    expectTypeOf<EchoServiceHandlers>().toExtend<Handlers>();
    // @ts-expect-error: a handler's response must be an EchoResponse or its fields.
    createServer().add(EchoService, { echo: () => ({ message: 1 }) });
  });
});

describe("a GenService with some handlers", () => {
  it("serves those, and UNIMPLEMENTED for the others", async () => {
    const server = createServer({ onError: () => {} }).add(EchoService, { echo: (request) => ({ message: `only ${request.message}` }) });
    const client = createClient(EchoService, `127.0.0.1:${await server.listen("127.0.0.1:0")}`);
    try {
      expect((await client.echo({ message: "echo" })).message).toBe("only echo");
      const error = await collect(client.expand({ message: "x", repeat: 1 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcError);
      expect((error as RpcError).code).toBe(Code.UNIMPLEMENTED);
    } finally {
      closeClient(client);
      await server.forceShutdown();
    }
  });
});

describe("what a definition made from a GenService knows", () => {
  it("idempotency comes from the idempotency_level option", () => {
    const { read, put, append, watch } = FlakyServiceDefinition;
    expect([read.idempotency, put.idempotency, append.idempotency, watch.idempotency]).toEqual(["no_side_effects", "idempotent", "unknown", "no_side_effects"]);
    expect(createServer().add(FlakyService, {}).definitions[0]).toBe(FlakyServiceDefinition);
  });

  it("deprecated comes from the deprecated option", () => {
    expect(EchoServiceDefinition.legacyEcho.deprecated).toBe(true);
    expect(EchoServiceDefinition.echo.deprecated).toBe(false);
  });

  it("paths and kinds come from the descriptor", () => {
    const { path, kind, requestStream, responseStream } = EchoServiceDefinition.collect;
    expect({ path, kind, requestStream, responseStream }).toEqual({
      path: "/fixture.echo.v1.EchoService/Collect",
      kind: "client_streaming",
      requestStream: true,
      responseStream: false,
    });
  });

  it("a method named then is then$, so a client is not thenable", () => {
    const client = createClient(PromiseService, "127.0.0.1:1");
    try {
      expect(Object.keys(client)).toContain("then$");
      expect("then" in client).toBe(false);
      expectTypeOf<keyof typeof client>().toExtend<string>();
      expectTypeOf(client).toHaveProperty("then$");
      // @ts-expect-error: there is no member `then`.
      expect(client.then).toBeUndefined();
    } finally {
      closeClient(client);
    }
  });
});
