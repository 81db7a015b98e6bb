import { Code, RpcError, type ServerErrorHook } from "@stubwright/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { drain, failOnUnhandledRejections, fromArray, rejection, startEchoServer, type EchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

const reported: { error: unknown; method: string }[] = [];
/** How many failures were reported before the current test. */
let reportedBefore = 0;
beforeEach(() => {
  reportedBefore = reported.length;
});
const secret = "db password is hunter2";

/** What each handler throws, chosen by the request message. */
function failure(kind: string): unknown {
  switch (kind) {
    case "rpc":
      return new RpcError(Code.RESOURCE_EXHAUSTED, "slow down");
    case "string":
      return `${secret} (a string)`;
    case "object":
      return { secret };
    case "undefined":
      return undefined;
    default:
      return new Error(secret);
  }
}

const handlers: Partial<EchoServiceHandlers> = {
  // Not async: a synchronous throw.
  echo(request) {
    if (request.message === "no-response") {
      return undefined as never;
    }
    throw failure(request.message);
  },
  // Async: a rejection.
  async legacyEcho(request) {
    await Promise.resolve();
    throw failure(request.message);
  },
  async *expand(request) {
    for (let index = 0; index < request.repeat; index++) {
      yield { index };
    }
    throw failure(request.message);
  },
  async collect(requests) {
    for await (const request of requests) {
      if (request.failAfter > 0) {
        throw failure(request.message);
      }
    }
    return {};
  },
  async *chat(requests) {
    for await (const request of requests) {
      yield { message: request.message };
      throw failure(request.message);
    }
  },
};
// A streaming handler that is not an async iterable.
const notAStream = { expand: () => ({ message: "oops" }) } as unknown as Partial<EchoServiceHandlers>;

let echo: EchoServer;
let broken: EchoServer;
beforeAll(async () => {
  const onError: ServerErrorHook = (error, info) => {
    reported.push({ error, method: info.method.path });
  };
  echo = await startEchoServer(handlers, { onError });
  broken = await startEchoServer(notAStream, { onError });
});
afterAll(() => {
  echo.close();
  broken.close();
});

function expectGeneric(error: unknown, method: string, original: (reported: unknown) => void): void {
  expect(error).toBeInstanceOf(RpcError);
  const rpcError = error as RpcError;
  expect(rpcError.code).toBe(Code.UNKNOWN);
  expect(rpcError.rawMessage).toBe("Internal server error");
  expect(rpcError.message).not.toContain("hunter2");
  expect(JSON.stringify(rpcError.metadata.toJSON())).not.toContain("hunter2");
  // This test's failure was reported, once (not an earlier test's).
  expect(reported).toHaveLength(reportedBefore + 1);
  const last = reported.at(-1)!;
  expect(last.method).toBe(method);
  original(last.error);
}

describe("a handler that fails", () => {
  it("throws synchronously: UNKNOWN, original reported with the method path", async () => {
    const error = await rejection(echo.client.echo({ message: "error" }));
    expectGeneric(error, "/fixture.echo.v1.EchoService/Echo", (original) => {
      expect(original).toBeInstanceOf(Error);
      expect((original as Error).message).toBe(secret);
    });
  });

  it("rejects: UNKNOWN, original reported", async () => {
    const error = await rejection(echo.client.legacyEcho({ message: "error" }));
    expectGeneric(error, "/fixture.echo.v1.EchoService/LegacyEcho", (original) => {
      expect((original as Error).message).toBe(secret);
    });
  });

  it.each(["string", "object", "undefined"])("throws a non-Error (%s): UNKNOWN, original reported", async (kind) => {
    const error = await rejection(echo.client.legacyEcho({ message: kind }));
    expectGeneric(error, "/fixture.echo.v1.EchoService/LegacyEcho", (original) => {
      expect(original).toEqual(failure(kind));
    });
  });

  it("throws an RpcError: its code and message reach the client, nothing is reported", async () => {
    const before = reported.length;
    const error = (await rejection(echo.client.echo({ message: "rpc" }))) as RpcError;
    expect(error.code).toBe(Code.RESOURCE_EXHAUSTED);
    expect(error.rawMessage).toBe("slow down");
    expect(reported.length).toBe(before);
  });

  it("returns no response: UNKNOWN", async () => {
    const error = await rejection(echo.client.echo({ message: "no-response" }));
    expectGeneric(error, "/fixture.echo.v1.EchoService/Echo", (original) => {
      expect(original).toBeInstanceOf(TypeError);
    });
  });

  it("throws mid server stream: the messages before it arrive, then UNKNOWN", async () => {
    const { items, error } = await drain(echo.client.expand({ message: "error", repeat: 3 }));
    expect(items.map((r) => r.index)).toEqual([0, 1, 2]);
    expectGeneric(error, "/fixture.echo.v1.EchoService/Expand", (original) => {
      expect((original as Error).message).toBe(secret);
    });
  });

  it("throws a non-Error mid server stream", async () => {
    const { items, error } = await drain(echo.client.expand({ message: "string", repeat: 2 }));
    expect(items).toHaveLength(2);
    expectGeneric(error, "/fixture.echo.v1.EchoService/Expand", (original) => {
      expect(original).toBe(failure("string"));
    });
  });

  it("throws an RpcError mid server stream", async () => {
    const { items, error } = await drain(echo.client.expand({ message: "rpc", repeat: 1 }));
    expect(items).toHaveLength(1);
    expect((error as RpcError).code).toBe(Code.RESOURCE_EXHAUSTED);
  });

  it("throws while reading a client stream", async () => {
    const error = await rejection(echo.client.collect(fromArray([{ message: "error" }, { message: "error", failAfter: 1 }, { message: "never" }])));
    expectGeneric(error, "/fixture.echo.v1.EchoService/Collect", (original) => {
      expect((original as Error).message).toBe(secret);
    });
  });

  it("throws mid bidi stream", async () => {
    const { items, error } = await drain(echo.client.chat(fromArray([{ message: "error" }, { message: "never" }])));
    expect(items.map((r) => r.message)).toEqual(["error"]);
    expectGeneric(error, "/fixture.echo.v1.EchoService/Chat", (original) => {
      expect((original as Error).message).toBe(secret);
    });
  });

  it("a streaming handler that returns no async iterable: UNKNOWN", async () => {
    const { error } = await drain(broken.client.expand({}));
    expectGeneric(error, "/fixture.echo.v1.EchoService/Expand", (original) => {
      expect(original).toBeInstanceOf(TypeError);
    });
  });

  it("the server keeps serving after all of that", async () => {
    const error = (await rejection(echo.client.echo({ message: "rpc" }))) as RpcError;
    expect(error.code).toBe(Code.RESOURCE_EXHAUSTED);
  });

  it("a missing handler answers UNIMPLEMENTED in every kind", async () => {
    const unary = (await rejection(broken.client.echo({}))) as RpcError;
    expect(unary.code).toBe(Code.UNIMPLEMENTED);
    const clientStream = (await rejection(broken.client.collect(fromArray([{}])))) as RpcError;
    expect(clientStream.code).toBe(Code.UNIMPLEMENTED);
    const bidi = await drain(broken.client.chat(fromArray([{}])));
    expect((bidi.error as RpcError).code).toBe(Code.UNIMPLEMENTED);
  });
});
