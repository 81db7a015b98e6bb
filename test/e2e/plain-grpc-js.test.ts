import { isMessage } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { Code, RpcError, closeClient } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoRequestSchema, type EchoRequest, type EchoResponse } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { startEcho, type EchoHarness } from "../support/echo-harness.js";

/**
 * The generated definition alone is enough for plain grpc-js, both ways:
 * `Server#addService` serves it with ordinary callback handlers, and
 * `makeGenericClientConstructor` builds a working client from it.
 */

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

describe("a plain grpc-js server with the generated definition, called by a Stubwright client", () => {
  let server: grpc.Server;
  let client: ReturnType<typeof createEchoServiceClient>;
  const seenRequests: unknown[] = [];

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(EchoServiceDefinition, {
      echo(call: grpc.ServerUnaryCall<EchoRequest, unknown>, callback: grpc.sendUnaryData<unknown>) {
        seenRequests.push(call.request);
        if (call.request.failCode !== 0) {
          callback({ code: call.request.failCode, details: call.request.failMessage });
          return;
        }
        callback(null, { message: `plain:${call.request.message}` });
      },
      expand(call: grpc.ServerWritableStream<EchoRequest, unknown>) {
        for (let index = 0; index < call.request.repeat; index++) {
          call.write({ message: call.request.message, index });
        }
        call.end();
      },
      collect(call: grpc.ServerReadableStream<EchoRequest, unknown>, callback: grpc.sendUnaryData<unknown>) {
        const messages: string[] = [];
        call.on("data", (request: EchoRequest) => messages.push(request.message));
        call.on("end", () => callback(null, { message: messages.join(","), index: messages.length }));
      },
      chat(call: grpc.ServerDuplexStream<EchoRequest, unknown>) {
        let index = 0;
        call.on("data", (request: EchoRequest) => call.write({ message: request.message.toUpperCase(), index: index++ }));
        call.on("end", () => call.end());
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error === null ? resolve(bound) : reject(error)));
    });
    client = createEchoServiceClient(`127.0.0.1:${port}`);
  });

  afterAll(() => {
    closeClient(client);
    server.forceShutdown();
  });

  it("unary: the plain handler gets a decoded protobuf-es message", async () => {
    const response = await client.echo({ message: "hi", severity: 2 });
    expect(response.message).toBe("plain:hi");
    const request = seenRequests.at(-1);
    expect(isMessage(request, EchoRequestSchema)).toBe(true);
    expect((request as EchoRequest).severity).toBe(2);
  });

  it("unary: a plain error status reaches the client as an RpcError", async () => {
    const error = await client.echo({ failCode: Code.NOT_FOUND, failMessage: "nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(Code.NOT_FOUND);
    expect((error as RpcError).rawMessage).toBe("nope");
  });

  it("server streaming", async () => {
    const indexes: number[] = [];
    for await (const response of client.expand({ message: "x", repeat: 3 })) {
      indexes.push(response.index);
    }
    expect(indexes).toEqual([0, 1, 2]);
  });

  it("client streaming", async () => {
    const response = await client.collect(fromArray([{ message: "a" }, { message: "b" }, { message: "c" }]));
    expect(response.message).toBe("a,b,c");
    expect(response.index).toBe(3);
  });

  it("bidi streaming", async () => {
    const seen: string[] = [];
    for await (const response of client.chat(fromArray([{ message: "one" }, { message: "two" }]))) {
      seen.push(`${response.index}:${response.message}`);
    }
    expect(seen).toEqual(["0:ONE", "1:TWO"]);
  });
});

/** The methods of a grpc-js generic client built from EchoServiceDefinition, as used below. */
interface PlainEchoClient extends grpc.Client {
  echo(request: Partial<EchoRequest>, callback: (error: grpc.ServiceError | null, response?: EchoResponse) => void): grpc.ClientUnaryCall;
  expand(request: Partial<EchoRequest>): grpc.ClientReadableStream<EchoResponse>;
  collect(callback: (error: grpc.ServiceError | null, response?: EchoResponse) => void): grpc.ClientWritableStream<Partial<EchoRequest>>;
  chat(): grpc.ClientDuplexStream<Partial<EchoRequest>, EchoResponse>;
}

describe("a plain grpc-js client from makeGenericClientConstructor, calling a Stubwright server", () => {
  let echo: EchoHarness;
  let plain: PlainEchoClient;

  beforeAll(async () => {
    echo = await startEcho();
    const Constructor = grpc.makeGenericClientConstructor(EchoServiceDefinition, "EchoService");
    plain = new Constructor(`127.0.0.1:${echo.port}`, grpc.credentials.createInsecure()) as unknown as PlainEchoClient;
  });

  afterAll(async () => {
    plain.close();
    await echo.close();
  });

  function unary(request: Partial<EchoRequest>): Promise<EchoResponse> {
    return new Promise((resolve, reject) => {
      plain.echo(request, (error, response) => (error === null && response !== undefined ? resolve(response) : reject(error)));
    });
  }

  it("unary: the response is a decoded protobuf-es message", async () => {
    const response = await unary({ message: "hello" });
    expect(response.message).toBe("hello");
    expect(response.$typeName).toBe("fixture.echo.v1.EchoResponse");
  });

  it("unary: an RpcError thrown by the handler arrives as a grpc-js status", async () => {
    const error = (await unary({ failCode: Code.PERMISSION_DENIED, failMessage: "no way" }).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(error.details).toBe("no way");
  });

  it("server streaming", async () => {
    const indexes: number[] = [];
    for await (const response of plain.expand({ message: "x", repeat: 4 }) as AsyncIterable<EchoResponse>) {
      indexes.push(response.index);
    }
    expect(indexes).toEqual([0, 1, 2, 3]);
  });

  it("client streaming", async () => {
    const response = await new Promise<EchoResponse | undefined>((resolve, reject) => {
      const call = plain.collect((error, result) => (error === null ? resolve(result) : reject(error)));
      call.write({ message: "a" });
      call.write({ message: "b" });
      call.end();
    });
    expect(response?.message).toBe("a,b");
  });

  it("bidi streaming", async () => {
    const call = plain.chat();
    call.write({ message: "1" });
    call.write({ message: "2" });
    call.end();
    const seen: string[] = [];
    for await (const response of call as AsyncIterable<EchoResponse>) {
      seen.push(`${response.index}:${response.message}`);
    }
    expect(seen).toEqual(["0:1", "1:2"]);
  });
});
