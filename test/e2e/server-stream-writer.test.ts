import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { ServerInterceptingCall, type ServerInterceptor } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { Code, RpcError, closeClient, createClient, createServer, type StubwrightServer } from "@stubwright/runtime";
import { serverStreamingMethod } from "../../packages/runtime/src/method-definition.js";

// The server writes response streams as bytes it serialized itself, reading
// up to 64 KiB ahead of a stream that asked it to wait. These check what a
// client sees across many such waits, and the fallback for servers with
// grpc-js interceptors of their own.
const Numbers = { count: serverStreamingMethod("/test.Numbers/Count", StringValueSchema, StringValueSchema) };
const running: { server: StubwrightServer; client: object }[] = [];

async function start(options: Parameters<typeof createServer>[0], failAfter?: number) {
  const server = createServer(options).add(Numbers, {
    async *count(request) {
      const total = Number(request.value);
      for (let index = 0; index < total; index++) {
        if (index === failAfter) {
          throw new RpcError(Code.ABORTED, `stopped at ${index}`);
        }
        yield { value: String(index) };
      }
    },
  });
  const port = await server.listen("127.0.0.1:0");
  const client = createClient(Numbers, `127.0.0.1:${port}`);
  running.push({ server, client });
  return client;
}

afterEach(async () => {
  for (const { server, client } of running.splice(0)) {
    closeClient(client);
    await server.shutdown({ graceMs: 1_000 });
  }
});

async function receive(stream: AsyncIterable<{ value: string }>) {
  const values: string[] = [];
  try {
    for await (const message of stream) values.push(message.value);
  } catch (error) {
    return { values, error };
  }
  return { values, error: undefined };
}

describe("server stream writer", () => {
  it("delivers 20,000 messages in order, through many waits for drain", async () => {
    const client = await start({});
    const { values, error } = await receive(client.count({ value: "20000" }));
    expect(error).toBeUndefined();
    expect(values).toHaveLength(20_000);
    expect(values.every((value, index) => value === String(index))).toBe(true);
  });

  it("delivers every message yielded before a failure, then the failure's status", async () => {
    const client = await start({}, 5_000);
    const { values, error } = await receive(client.count({ value: "20000" }));
    expect(values).toHaveLength(5_000);
    expect(values.at(-1)).toBe("4999");
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(Code.ABORTED);
  });

  it("hands grpc-js interceptors of the server's own the messages, not bytes", async () => {
    const seen: unknown[] = [];
    const interceptor: ServerInterceptor = (_descriptor, call) =>
      new ServerInterceptingCall(call, {
        sendMessage(message, next) {
          seen.push(message);
          next(message);
        },
      });
    const client = await start({ grpc: { interceptors: [interceptor] } });
    const { values, error } = await receive(client.count({ value: "300" }));
    expect(error).toBeUndefined();
    expect(values).toHaveLength(300);
    expect(seen).toHaveLength(300);
    expect(seen.some((message) => Buffer.isBuffer(message))).toBe(false);
    expect((seen[299] as { value: string }).value).toBe("299");
  });
});
