import { create, type Message } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { Metadata as GrpcMetadata, type ServiceError } from "@grpc/grpc-js";
import { closeClient, Code, createServer, RpcError, type Metadata, type ServerOptions, type StubwrightServer } from "@stubwright/runtime";
import { getGrpcClient } from "@stubwright/runtime/channel";
import { statusDetailsKey } from "@stubwright/runtime/status";
import {
  BadRequestSchema,
  DebugInfoSchema,
  ErrorInfoSchema,
  HelpSchema,
  LocalizedMessageSchema,
  PreconditionFailureSchema,
  QuotaFailureSchema,
  RequestInfoSchema,
  ResourceInfoSchema,
  RetryInfoSchema,
} from "@stubwright/runtime/error-details";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient, EchoServiceDefinition, type EchoServiceClient, type EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoResponseSchema, type EchoRequest } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { drain, failureOf } from "../support/call-outcome.js";
import { deferred } from "../support/echo-server.js";
import { withFakeClock } from "../support/fake-clock.js";

// How the server maps every kind of handler failure to the status a client
// sees, end to end over 127.0.0.1. `throwPlain` in the request picks what the
// handler does.

const method = (name: string): string => `/fixture.echo.v1.EchoService/${name}`;

/** One of each standard detail of google/rpc/error_details.proto. */
const standardDetails: Message[] = [
  create(ErrorInfoSchema, { reason: "STOCK_LOCKED", domain: "inventory.example.com", metadata: { sku: "A-1" } }),
  create(RetryInfoSchema, { retryDelay: { seconds: 2n, nanos: 500_000_000 } }),
  create(DebugInfoSchema, { detail: "debug", stackEntries: ["at a", "at b"] }),
  create(QuotaFailureSchema, { violations: [{ subject: "project:1", description: "too many" }] }),
  create(PreconditionFailureSchema, { violations: [{ type: "TOS", subject: "user", description: "not accepted" }] }),
  create(BadRequestSchema, { fieldViolations: [{ field: "sku", description: "must not be empty" }] }),
  create(RequestInfoSchema, { requestId: "req-1", servingData: "shard 7" }),
  create(ResourceInfoSchema, { resourceType: "item", resourceName: "A-1", owner: "team", description: "locked" }),
  create(HelpSchema, { links: [{ description: "docs", url: "https://example.com/help" }] }),
  create(LocalizedMessageSchema, { locale: "fr-FR", message: "Article verrouillé" }),
];

/** What each scenario's handler does; `context` is the handler's context. */
type Scenario = (request: EchoRequest, context: Parameters<EchoServiceHandlers["echo"]>[1]) => unknown;

const reported: { error: unknown; method: string }[] = [];
let downstream: EchoServiceClient;

const scenarios: Record<string, Scenario> = {
  "rpc-error": () => {
    throw new RpcError(Code.FAILED_PRECONDITION, "Item A-1 is locked", {
      metadata: { "x-reason": "locked", "grpc-status": "0", "grpc-message": "all good", "content-type": "text/html" },
      details: [...standardDetails, anyPack(EchoResponseSchema, create(EchoResponseSchema, { message: "mine" }))],
    });
  },
  "lone-surrogates": () => {
    throw new RpcError(Code.INVALID_ARGUMENT, "half \uD800 pairs \uDFFF stay whole 😀", {
      details: [create(ErrorInfoSchema, { reason: "R" })],
    });
  },
  "abort-error": () => {
    throw new DOMException("This operation was aborted", "AbortError");
  },
  "abort-reason": () => {
    throw AbortSignal.abort().reason;
  },
  "plain-error": () => {
    throw new Error("password=hunter2 at db.internal:5432");
  },
  "sync-throw": () => {
    throw new TypeError("thrown synchronously by a non-async handler");
  },
  string: () => {
    throw "a thrown string with a secret";
  },
  undefined: () => {
    throw undefined;
  },
  object: () => {
    throw { secret: "s3cr3t" };
  },
  reject: () => Promise.reject(new RangeError("rejected with a secret")),
  "no-response": () => undefined,
  "wait-for-deadline": (_request, context) =>
    new Promise((_resolve, reject) => {
      context.signal.addEventListener("abort", () => {
        waiter.reason.resolve(context.signal.reason);
        reject(context.signal.reason);
      });
      waiter.waiting.resolve();
    }),
  "headers-then-fail": (_request, context) => {
    context.header.set("x-header", "set before failing");
    context.trailer.set("x-trailer", "set before failing");
    throw new RpcError(Code.ABORTED, "conflict");
  },
  // The downstream call's RpcError leaves the handler as it came.
  "rethrow-downstream": async (_request, context) => {
    context.trailer.set("x-own", "mine");
    return await downstream.echo({ throwPlain: "rpc-error" });
  },
  "forward-downstream-explicitly": async () => {
    try {
      return await downstream.echo({ throwPlain: "rpc-error" });
    } catch (error) {
      const received = error as RpcError;
      throw new RpcError(received.code, received.rawMessage, { details: received.details });
    }
  },
};

/** The "wait-for-deadline" handler of the current test: when it waits, and what its signal aborted with. */
let waiter = { waiting: deferred(), reason: deferred<unknown>() };

function createMappingService(): Omit<EchoServiceHandlers, "unimplemented" | "legacyEcho"> {
  const run = (request: EchoRequest, context: Parameters<Scenario>[1]): unknown => {
    const scenario = scenarios[request.throwPlain];
    if (scenario === undefined) {
      return { message: request.message };
    }
    return scenario(request, context);
  };
  return {
    echo: (request, context) => run(request, context) as never,
    async *expand(request, context) {
      for (let index = 0; index < request.failAfter; index++) {
        yield { message: "before", index };
      }
      await run(request, context);
      yield { message: "not reached" };
    },
    async collect(requests, context) {
      let count = 0;
      for await (const request of requests) {
        if (++count === 2) {
          await run(request, context);
        }
      }
      return { index: count };
    },
    async *chat(requests, context) {
      for await (const request of requests) {
        await run(request, context);
        yield { message: request.message };
      }
    },
  };
}

interface Running {
  readonly server: StubwrightServer;
  readonly client: EchoServiceClient;
  readonly address: string;
  close(): void;
}

async function start(options: ServerOptions = {}): Promise<Running> {
  const server = createServer({ onError: (error, info) => reported.push({ error, method: info.method.path }), ...options });
  server.add(EchoServiceDefinition, createMappingService());
  const port = await server.listen("127.0.0.1:0");
  const address = `127.0.0.1:${port}`;
  const client = createEchoServiceClient(address);
  return {
    server,
    client,
    address,
    close() {
      closeClient(client);
      server.forceShutdown();
    },
  };
}

let main: Running;
beforeAll(async () => {
  main = await start();
  downstream = createEchoServiceClient(main.address);
});
afterAll(() => {
  closeClient(downstream);
  main.close();
});

function reportsFor(path: string): unknown[] {
  return reported.filter((entry) => entry.method === path).map((entry) => entry.error);
}

describe("our RpcError", () => {
  it("keeps its code, message, metadata and every standard detail; reserved trailers cannot be forged", async () => {
    const error = await failureOf(main.client.echo({ throwPlain: "rpc-error" }));
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.rawMessage).toBe("Item A-1 is locked");
    expect(error.metadata.get("x-reason")).toEqual(["locked"]);
    // A Trailers-Only response carries the real content-type; the forged one is gone.
    expect(error.metadata.get("content-type")).not.toContain("text/html");
    expect(error.metadata.get(statusDetailsKey)).toHaveLength(1);
    // Every standard detail arrives decoded, equal to what was sent, in order.
    expect(error.details.slice(0, standardDetails.length)).toEqual(standardDetails);
    for (const sent of standardDetails) {
      expect(error.details.filter((detail) => detail.$typeName === sent.$typeName)).toEqual([sent]);
    }
    expect(error.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds).toBe(2n);
    // Any user message can be a detail.
    expect(error.findDetails(EchoResponseSchema).map((m) => m.message)).toEqual(["mine"]);
    expect(reportsFor(method("Echo"))).toEqual([]);
  });

  it("sends the headers and trailers the handler set before failing", async () => {
    let trailers: Metadata | undefined;
    const error = await failureOf(main.client.echo({ throwPlain: "headers-then-fail" }, { onTrailer: (t) => (trailers = t) }));
    expect(error.code).toBe(Code.ABORTED);
    expect(error.headers.get("x-header")).toEqual(["set before failing"]);
    expect(error.metadata.get("x-trailer")).toEqual(["set before failing"]);
    expect(trailers?.get("x-trailer")).toEqual(["set before failing"]);
    expect(error.details).toEqual([]);
    expect(error.metadata.get(statusDetailsKey)).toEqual([]);
  });
});

describe("status messages", () => {
  it("lone surrogates become U+FFFD instead of crashing grpc-js's encoding, in every call kind", async () => {
    const expected = "half \uFFFD pairs \uFFFD stay whole 😀";
    const unary = await failureOf(main.client.echo({ throwPlain: "lone-surrogates" }));
    expect(unary.code).toBe(Code.INVALID_ARGUMENT);
    expect(unary.rawMessage).toBe(expected);
    expect(unary.toStatus().message).toBe(expected);
    expect(unary.findDetails(ErrorInfoSchema)).toHaveLength(1);
    const stream = await drain(main.client.expand({ throwPlain: "lone-surrogates", failAfter: 1 }));
    expect(stream.messages).toHaveLength(1);
    expect(stream.error?.rawMessage).toBe(expected);
  });
});

describe("an RpcError received from a downstream call and rethrown", () => {
  it("forwards code and message only: not the downstream's trailers, headers or details", async () => {
    const error = await failureOf(main.client.echo({ throwPlain: "rethrow-downstream" }));
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.rawMessage).toBe("Item A-1 is locked");
    expect(error.metadata.get("x-reason")).toEqual([]);
    expect(error.metadata.get(statusDetailsKey)).toEqual([]);
    expect(error.details).toEqual([]);
    // The handler's own trailers still go out.
    expect(error.metadata.get("x-own")).toEqual(["mine"]);
  });

  it("forwards details a handler passes on explicitly", async () => {
    const error = await failureOf(main.client.echo({ throwPlain: "forward-downstream-explicitly" }));
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.findDetails(BadRequestSchema)).toHaveLength(1);
    expect(error.findDetails(EchoResponseSchema).map((m) => m.message)).toEqual(["mine"]);
    expect(error.metadata.get("x-reason")).toEqual([]);
  });
});

describe("cancellation and deadlines", () => {
  it.each(["abort-error", "abort-reason"])("an AbortError (%s) becomes CANCELLED, without a report", async (scenario) => {
    const before = reported.length;
    const error = await failureOf(main.client.echo({ throwPlain: scenario }));
    expect(error.code).toBe(Code.CANCELLED);
    expect(reported.length).toBe(before);
  });

  it("client cancellation is CANCELLED on the client, and the handler's signal says so", async () => {
    waiter = { waiting: deferred(), reason: deferred() };
    const controller = new AbortController();
    const call = failureOf(main.client.echo({ throwPlain: "wait-for-deadline" }, { signal: controller.signal }));
    await waiter.waiting.promise;
    controller.abort();
    const error = await call;
    expect(error.code).toBe(Code.CANCELLED);
    expect(await waiter.reason.promise).toMatchObject({ code: Code.CANCELLED });
  });

  it("deadline expiry is DEADLINE_EXCEEDED on the client, and the handler's signal says so", async () => {
    waiter = { waiting: deferred(), reason: deferred() };
    await withFakeClock(async (clock) => {
      const call = failureOf(main.client.echo({ throwPlain: "wait-for-deadline" }, { timeoutMs: 100 }));
      await waiter.waiting.promise;
      await clock.advance(1_000);
      const error = await call;
      expect(error.code).toBe(Code.DEADLINE_EXCEEDED);
      const reason = await waiter.reason.promise;
      expect(reason).toBeInstanceOf(RpcError);
      expect((reason as RpcError).code).toBe(Code.DEADLINE_EXCEEDED);
    });
  });
});

describe("anything else a handler throws", () => {
  const values = ["plain-error", "sync-throw", "string", "undefined", "object", "reject", "no-response"];

  it.each(values)("%s: UNKNOWN with a generic message, the original to onError with the method path", async (scenario) => {
    const before = reportsFor(method("Echo")).length;
    const error = await failureOf(main.client.echo({ throwPlain: scenario }));
    expect(error.code).toBe(Code.UNKNOWN);
    expect(error.rawMessage).toBe("Internal server error");
    expect(error.details).toEqual([]);
    expect(applicationKeys(error.metadata)).toEqual([]);
    expect(reportsFor(method("Echo")).length).toBe(before + 1);
  });

  it("reports the original value itself", async () => {
    const before = reportsFor(method("Echo")).length;
    await failureOf(main.client.echo({ throwPlain: "object" }));
    await failureOf(main.client.echo({ throwPlain: "undefined" }));
    expect(reportsFor(method("Echo")).slice(before)).toEqual([{ secret: "s3cr3t" }, undefined]);
  });

  it("from an async generator, before the first message and mid-stream", async () => {
    const reportsBefore = reportsFor(method("Expand")).length;
    const before = await drain(main.client.expand({ throwPlain: "plain-error", failAfter: 0 }));
    expect(before.messages).toHaveLength(0);
    expect(before.error?.code).toBe(Code.UNKNOWN);
    expect(before.error?.rawMessage).toBe("Internal server error");
    const mid = await drain(main.client.expand({ throwPlain: "string", failAfter: 3 }));
    expect(mid.messages.map((m) => m.index)).toEqual([0, 1, 2]);
    expect(mid.error?.code).toBe(Code.UNKNOWN);
    expect(mid.error?.rawMessage).toBe("Internal server error");
    expect(reportsFor(method("Expand")).slice(reportsBefore)).toEqual([expect.any(Error), "a thrown string with a secret"]);
  });

  it("from client and bidi streaming handlers", async () => {
    const [collectsBefore, chatsBefore] = [reportsFor(method("Collect")).length, reportsFor(method("Chat")).length];
    const collect = await failureOf(main.client.collect(withScenario("reject", 3)));
    expect(collect.code).toBe(Code.UNKNOWN);
    const chat = await drain(main.client.chat(withScenario("object", 2)));
    expect(chat.error?.code).toBe(Code.UNKNOWN);
    expect(chat.error?.rawMessage).toBe("Internal server error");
    expect(reportsFor(method("Collect")).slice(collectsBefore)).toEqual([expect.any(RangeError)]);
    expect(reportsFor(method("Chat")).slice(chatsBefore)).toEqual([{ secret: "s3cr3t" }]);
  });

  it("still ends the call when the onError hook itself throws", async () => {
    const failing = await start({
      onError: () => {
        throw new Error("broken hook");
      },
    });
    try {
      const error = await failureOf(failing.client.echo({ throwPlain: "plain-error" }));
      expect(error.code).toBe(Code.UNKNOWN);
      expect(error.rawMessage).toBe("Internal server error");
    } finally {
      failing.close();
    }
  });

  it("with exposeInternalErrors, sends the message and the stack in a DebugInfo", async () => {
    const exposing = await start({ exposeInternalErrors: true });
    try {
      const error = await failureOf(exposing.client.echo({ throwPlain: "plain-error" }));
      expect(error.code).toBe(Code.UNKNOWN);
      expect(error.rawMessage).toBe("password=hunter2 at db.internal:5432");
      const [debug] = error.findDetails(DebugInfoSchema);
      expect(debug?.detail).toBe("Error: password=hunter2 at db.internal:5432");
      expect(debug?.stackEntries[0]).toBe("Error: password=hunter2 at db.internal:5432");
      expect(debug?.stackEntries.some((line) => line.includes("server-mapping.test.ts"))).toBe(true);
      const string = await failureOf(exposing.client.echo({ throwPlain: "string" }));
      expect(string.rawMessage).toBe("a thrown string with a secret");
    } finally {
      exposing.close();
    }
  });

  it("without the opt-in, no message or stack reaches the client", async () => {
    const error = await failureOf(main.client.echo({ throwPlain: "plain-error" }));
    const wire = JSON.stringify([error.rawMessage, error.metadata.toJSON(), error.details]);
    expect(wire).not.toContain("hunter2");
    expect(wire).not.toContain("server-mapping.test.ts");
  });
});

/** Metadata keys other than the HTTP headers a Trailers-Only response always has. */
function applicationKeys(metadata: Metadata): string[] {
  return Object.keys(metadata.getMap()).filter((key) => key !== "content-type" && key !== "date");
}

async function* withScenario(scenario: string, count: number): AsyncGenerator<{ message: string; throwPlain: string }> {
  for (let index = 0; index < count; index++) {
    yield { message: `m${index}`, throwPlain: scenario };
  }
}

describe("failures grpc-js detects before the handler runs", () => {
  it("a request that does not decode is INTERNAL, and the server keeps serving", async () => {
    const grpcClient = getGrpcClient(main.client);
    const garbage = (): Buffer => Buffer.from([0xff, 0xff, 0xff]);
    const unary = await new Promise<ServiceError>((resolve, reject) => {
      grpcClient.makeUnaryRequest(
        method("Echo"),
        garbage,
        (b: Buffer) => b,
        {},
        new GrpcMetadata(),
        {},
        (error) => (error ? resolve(error) : reject(new Error("expected a failure"))),
      );
    });
    expect(unary.code).toBe(Code.INTERNAL);
    expect(unary.details).toMatch(/^Error deserializing request/);
    const stream = await new Promise<ServiceError>((resolve, reject) => {
      const call = grpcClient.makeClientStreamRequest(
        method("Collect"),
        garbage,
        (b: Buffer) => b,
        new GrpcMetadata(),
        {},
        (error) => (error ? resolve(error) : reject(new Error("expected a failure"))),
      );
      call.write({});
      call.end();
    });
    expect(stream.code).toBe(Code.INTERNAL);
    expect((await main.client.echo({ message: "still serving" })).message).toBe("still serving");
  });

  it("a request over the server's size limit is RESOURCE_EXHAUSTED", async () => {
    const small = await start({ grpc: { "grpc.max_receive_message_length": 1024 } });
    try {
      const error = await failureOf(small.client.echo({ message: "x".repeat(4096) }));
      expect(error.code).toBe(Code.RESOURCE_EXHAUSTED);
      expect(error.rawMessage).toMatch(/larger than max/i);
      const stream = await failureOf(small.client.collect(bigRequests()));
      expect(stream.code).toBe(Code.RESOURCE_EXHAUSTED);
      expect((await small.client.echo({ message: "small" })).message).toBe("small");
    } finally {
      small.close();
    }
  });

  it("a response over the server's send limit or the client's receive limit is RESOURCE_EXHAUSTED", async () => {
    const small = await start({ grpc: { "grpc.max_send_message_length": 1024 } });
    const strictClient = createEchoServiceClient(main.address, {
      channelOptions: { "grpc.max_receive_message_length": 1024 },
    });
    try {
      const sent = await failureOf(small.client.echo({ message: "y".repeat(4096) }));
      expect(sent.code).toBe(Code.RESOURCE_EXHAUSTED);
      const received = await failureOf(strictClient.echo({ message: "z".repeat(4096) }));
      expect(received.code).toBe(Code.RESOURCE_EXHAUSTED);
      expect(received.rawMessage).toMatch(/larger than max/i);
    } finally {
      closeClient(strictClient);
      small.close();
    }
  });
});

async function* bigRequests(): AsyncGenerator<{ message: string }> {
  yield { message: "x".repeat(4096) };
}
