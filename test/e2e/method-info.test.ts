import { EmptySchema } from "@bufbuild/protobuf/wkt";
import { Code, RpcError, type MethodInfo, type ServerCallContext } from "@stubwright/runtime";
import { currentCall } from "@stubwright/runtime/deadline";
import { loggingInterceptor, type CallLogEntry, type ClientInterceptor, type ServerInterceptor } from "@stubwright/runtime/interceptors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoRequestSchema, EchoResponseSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { deferred, drain, rejection, startEchoServer, type Deferred, type EchoServer } from "../support/echo-server.js";

// One shape for "the method" wherever the runtime names one: the handler's
// context, server and client interceptors, the server's onError hook,
// currentCall() and the logging interceptor's entries.

interface Sighting {
  readonly where: string;
  readonly method: MethodInfo;
}

const seen: Sighting[] = [];
let expected: { readonly count: number; readonly reached: Deferred<void> } | undefined;
const record = (where: string, method: MethodInfo): void => {
  seen.push({ where, method });
  if (expected !== undefined && seen.length >= expected.count) {
    expected.reached.resolve();
  }
};

/**
 * Clears the sightings and returns a promise of the next `count`: the
 * server's log entry comes once the status is sent, which may be after the
 * client has it.
 */
function nextSightings(count: number): Promise<Sighting[]> {
  seen.length = 0;
  const reached = deferred();
  expected = { count, reached };
  return reached.promise.then(() => [...seen]);
}

const serverSide: ServerInterceptor = (next) => (call) => {
  record("server interceptor", call.method);
  return next(call);
};
const clientSide: ClientInterceptor = (next) => (call) => {
  record("client interceptor", call.method);
  return next(call);
};
const logged = (where: string) => loggingInterceptor({ log: (entry: CallLogEntry) => record(where, entry.method) });

function handlerSees(context: ServerCallContext): void {
  record("context", context.method);
  record("currentCall", currentCall()!.method);
}

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEchoServer(
    {
      echo(_request, context) {
        handlerSees(context);
        throw new Error("not an RpcError, so onError hears of it");
      },
      async *expand(_request, context) {
        handlerSees(context);
        yield { message: "one" };
      },
    },
    { use: [logged("server log"), serverSide], onError: (_error, info) => record("onError", info.method) },
    { use: [logged("client log"), clientSide] },
  );
});
afterAll(() => echo.close());

describe("the method", () => {
  it("is one object on the server for a call, with path, names, kind, idempotency and schemas", async () => {
    const sightings = nextSightings(7);
    const error = await rejection(echo.client.echo({ message: "x" }));
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(Code.UNKNOWN);
    const server = (await sightings).filter((sighting) => !sighting.where.startsWith("client"));
    expect(server.map((sighting) => sighting.where).sort()).toEqual(["context", "currentCall", "onError", "server interceptor", "server log"]);
    const [first] = server;
    for (const sighting of server) {
      expect(sighting.method, sighting.where).toBe(first!.method);
    }
    expect(first!.method).toMatchObject({
      path: "/fixture.echo.v1.EchoService/Echo",
      serviceName: "fixture.echo.v1.EchoService",
      methodName: "Echo",
      kind: "unary",
      idempotency: "unknown",
      requestStream: false,
      responseStream: false,
      requestSchema: EchoRequestSchema,
      responseSchema: EchoResponseSchema,
    });
  });

  it("has the same shape on the client, and tells streaming kinds apart", async () => {
    const sightings = nextSightings(6);
    expect(await drain(echo.client.expand({ message: "x" }))).toEqual({ items: [expect.objectContaining({ message: "one" })], error: undefined });
    const shape = {
      path: "/fixture.echo.v1.EchoService/Expand",
      serviceName: "fixture.echo.v1.EchoService",
      methodName: "Expand",
      kind: "server_streaming",
      requestStream: false,
      responseStream: true,
      requestSchema: EchoRequestSchema,
      responseSchema: EchoResponseSchema,
    };
    const all = await sightings;
    expect(all.map((sighting) => sighting.where).sort()).toEqual([
      "client interceptor",
      "client log",
      "context",
      "currentCall",
      "server interceptor",
      "server log",
    ]);
    for (const sighting of all) {
      expect(sighting.method, sighting.where).toMatchObject(shape);
    }
  });

  it("names the method a missing handler belongs to", async () => {
    const sightings = nextSightings(4);
    const error = await rejection(echo.client.unimplemented({}));
    expect((error as RpcError).code).toBe(Code.UNIMPLEMENTED);
    const interceptor = (await sightings).find((sighting) => sighting.where === "server interceptor");
    expect(interceptor?.method).toMatchObject({ methodName: "Unimplemented", requestSchema: EmptySchema, responseSchema: EmptySchema });
  });
});
