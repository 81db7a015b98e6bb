import { create, createRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyPack, anyUnpack } from "@bufbuild/protobuf/wkt";
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  Server,
  ServerCredentials,
  status as grpcStatus,
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ClientUnaryCall,
  type ClientWritableStream,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerErrorResponse,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceError,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { closeClient, Code, createServer, RpcError, type StubwrightServer } from "@stubwright/runtime";
import { statusDetailsKey } from "@stubwright/runtime/status";
import { ErrorInfoSchema, QuotaFailureSchema, RetryInfoSchema, StatusSchema } from "@stubwright/runtime/error-details";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient, EchoServiceDefinition } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoResponseSchema, type EchoRequest, type EchoResponse } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { drain, failureOf, requestsOf } from "../support/call-outcome.js";
import { caseMetadata, createStatusMatrixService, matrixMessage } from "../support/status-matrix-service.js";

// Errors across the boundary with plain grpc-js, both ways, over 127.0.0.1.

/** The EchoService methods of a client from makeGenericClientConstructor, as these tests call them (requests as plain objects). */
interface GenericEchoClient extends Client {
  echo(request: object, metadata: Metadata, callback: (error: ServiceError) => void): ClientUnaryCall;
  expand(request: object, metadata: Metadata): ClientReadableStream<EchoResponse>;
  collect(metadata: Metadata, callback: (error: ServiceError) => void): ClientWritableStream<object>;
  chat(metadata: Metadata): ClientDuplexStream<object, EchoResponse>;
}

describe("a plain grpc-js client calling a Stubwright server", () => {
  let server: StubwrightServer;
  let client: GenericEchoClient;

  beforeAll(async () => {
    server = createServer({ onError: () => {} }).add(EchoServiceDefinition, createStatusMatrixService());
    const port = await server.listen("127.0.0.1:0");
    const Ctor = makeGenericClientConstructor(EchoServiceDefinition, "EchoService");
    client = new Ctor(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as GenericEchoClient;
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  const metadataOf = (code: Code, after: number): Metadata => {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(caseMetadata(code, after))) metadata.set(key, value);
    return metadata;
  };

  /** Checks what a grpc-js ServiceError carries: code, message, and the Status in the details trailer. */
  const expectStatus = (error: ServiceError, code: Code, kind: string, after: number): void => {
    expect(error.code).toBe(code);
    expect(error.details).toBe(matrixMessage(code, kind as never, after));
    expect(error.metadata.get("x-error-kind")).toEqual([kind]);
    const [bytes] = error.metadata.get(statusDetailsKey);
    expect(bytes).toBeInstanceOf(Buffer);
    const status = fromBinary(StatusSchema, bytes as Buffer);
    expect(status.code).toBe(code);
    expect(status.message).toBe(error.details);
    expect(status.details.map((any) => any.typeUrl)).toEqual(["type.googleapis.com/google.rpc.ErrorInfo", "type.googleapis.com/fixture.echo.v1.EchoResponse"]);
    const info = anyUnpack(status.details[0]!, ErrorInfoSchema);
    expect(info?.domain).toBe("matrix.stubwright.test");
    expect(anyUnpack(status.details[1]!, EchoResponseSchema)?.message).toBe(`detail of ${kind}`);
  };

  it("unary", async () => {
    const error = await new Promise<ServiceError>((resolve) => {
      client.echo({}, metadataOf(Code.NOT_FOUND, 0), resolve);
    });
    expectStatus(error, Code.NOT_FOUND, "echo", 0);
  });

  it("server streaming, mid-stream", async () => {
    const stream = client.expand({}, metadataOf(Code.DATA_LOSS, 2));
    const received: EchoResponse[] = [];
    const error = await new Promise<ServiceError>((resolve) => {
      stream.on("data", (message: EchoResponse) => received.push(message));
      stream.on("error", resolve);
    });
    expect(received).toHaveLength(2);
    expectStatus(error, Code.DATA_LOSS, "expand", 2);
  });

  it("client streaming", async () => {
    const error = await new Promise<ServiceError>((resolve) => {
      const call = client.collect(metadataOf(Code.PERMISSION_DENIED, 1), resolve);
      call.write({ message: "a" });
      call.write({ message: "b" });
      call.end();
    });
    expectStatus(error, Code.PERMISSION_DENIED, "collect", 1);
  });

  it("bidi streaming, before the first message", async () => {
    const call = client.chat(metadataOf(Code.UNAUTHENTICATED, 0));
    call.on("data", () => {});
    const error = await new Promise<ServiceError>((resolve) => call.on("error", resolve));
    call.end();
    expectStatus(error, Code.UNAUTHENTICATED, "chat", 0);
  });
});

describe("a Stubwright client calling a plain grpc-js server", () => {
  const server = new Server();
  let address: string;

  /** The status every plain handler fails with, details built by hand as any gRPC server would. */
  const quota = create(QuotaFailureSchema, { violations: [{ subject: "client:7", description: "100 calls/min" }] });
  const retry = create(RetryInfoSchema, { retryDelay: { seconds: 3n, nanos: 0 } });
  const custom = create(EchoResponseSchema, { message: "custom detail", index: 7 });

  function plainError(code: number, message: string, statusCode = code): ServerErrorResponse {
    const metadata = new Metadata();
    metadata.set("x-plain", "trailer");
    const status = create(StatusSchema, {
      code: statusCode,
      message,
      details: [anyPack(QuotaFailureSchema, quota), anyPack(RetryInfoSchema, retry), anyPack(EchoResponseSchema, custom)],
    });
    metadata.set(statusDetailsKey, Buffer.from(toBinary(StatusSchema, status)));
    return Object.assign(new Error(message), { code, details: message, metadata });
  }

  const implementation: UntypedServiceImplementation = {
    echo(call: ServerUnaryCall<EchoRequest, object>, callback: sendUnaryData<object>) {
      const { message, failCode } = call.request;
      if (message === "mismatch") {
        callback(plainError(failCode, "status and details disagree", Code.NOT_FOUND));
      } else if (message === "malformed") {
        const metadata = new Metadata();
        metadata.set(statusDetailsKey, Buffer.from([0xff, 0xff, 0xff]));
        callback({ code: failCode, details: "malformed details", metadata });
      } else if (message === "throw") {
        callback(new Error("plain Error from grpc-js"));
      } else {
        callback(plainError(failCode, message));
      }
    },
    expand(call: ServerWritableStream<EchoRequest, object>) {
      call.write({ message: "one" });
      call.write({ message: "two" });
      call.emit("error", plainError(grpcStatus.RESOURCE_EXHAUSTED, "slow down ✓"));
    },
    collect(call: ServerReadableStream<EchoRequest, object>, callback: sendUnaryData<object>) {
      call.on("data", () => {});
      call.on("end", () => callback(plainError(grpcStatus.INVALID_ARGUMENT, "bad batch")));
    },
    chat(call: ServerDuplexStream<EchoRequest, object>) {
      call.on("data", () => call.emit("error", plainError(grpcStatus.ABORTED, "conflict")));
    },
  };

  beforeAll(async () => {
    server.addService(EchoServiceDefinition, implementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    address = `127.0.0.1:${port}`;
  });
  afterAll(() => server.forceShutdown());

  const expectRich = (error: RpcError, code: Code, message: string): void => {
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(code);
    expect(error.rawMessage).toBe(message);
    expect(error.metadata.get("x-plain")).toEqual(["trailer"]);
    expect(error.details.map((detail) => detail.$typeName)).toEqual(["google.rpc.QuotaFailure", "google.rpc.RetryInfo", "google.protobuf.Any"]);
    expect(error.findDetails(QuotaFailureSchema)).toEqual([quota]);
    expect(error.findDetails(RetryInfoSchema)).toEqual([retry]);
    expect(error.findDetails(EchoResponseSchema)).toEqual([custom]);
  };

  it("maps every call kind's status, message, trailers and details", async () => {
    const client = createEchoServiceClient(address);
    try {
      expectRich(await failureOf(client.echo({ message: "no such item", failCode: Code.NOT_FOUND })), Code.NOT_FOUND, "no such item");
      const expand = await drain(client.expand({}));
      expect(expand.messages.map((m) => m.message)).toEqual(["one", "two"]);
      expectRich(expand.error!, Code.RESOURCE_EXHAUSTED, "slow down ✓");
      expectRich(await failureOf(client.collect(requestsOf(2))), Code.INVALID_ARGUMENT, "bad batch");
      const chat = await drain(client.chat(requestsOf(1)));
      expectRich(chat.error!, Code.ABORTED, "conflict");
    } finally {
      closeClient(client);
    }
  });

  it("decodes details of the registry's types into `details`", async () => {
    const client = createEchoServiceClient(address, { detailsRegistry: createRegistry(EchoResponseSchema) });
    try {
      const error = await failureOf(client.echo({ message: "with registry", failCode: Code.FAILED_PRECONDITION }));
      expect(error.details[2]).toEqual(custom);
      expect(error.findDetails(createRegistry(EchoResponseSchema, RetryInfoSchema))).toEqual([retry, custom]);
    } finally {
      closeClient(client);
    }
  });

  it("maps a code outside the 17 to UNKNOWN, keeping the message", async () => {
    const client = createEchoServiceClient(address);
    try {
      const error = await failureOf(client.echo({ message: "from the future", failCode: 42 }));
      expect(error.code).toBe(Code.UNKNOWN);
      expect(error.rawMessage).toBe("from the future");
    } finally {
      closeClient(client);
    }
  });

  it("ignores details whose Status disagrees with grpc-status, and details that do not parse", async () => {
    const client = createEchoServiceClient(address);
    try {
      const mismatch = await failureOf(client.echo({ message: "mismatch", failCode: Code.INTERNAL }));
      expect(mismatch.code).toBe(Code.INTERNAL);
      expect(mismatch.details).toEqual([]);
      const malformed = await failureOf(client.echo({ message: "malformed", failCode: Code.UNAVAILABLE }));
      expect(malformed.code).toBe(Code.UNAVAILABLE);
      expect(malformed.rawMessage).toBe("malformed details");
      expect(malformed.details).toEqual([]);
      const thrown = await failureOf(client.echo({ message: "throw" }));
      expect(thrown.code).toBe(Code.UNKNOWN);
      expect(thrown.rawMessage).toBe("plain Error from grpc-js");
    } finally {
      closeClient(client);
    }
  });
});
