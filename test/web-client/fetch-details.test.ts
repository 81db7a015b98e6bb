import { Code, RpcError, type Metadata } from "@stubwright/runtime";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import { createConnectTransport, createGrpcWebTransport, type Transport } from "@stubwright/runtime/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { type ConnectEchoServer, startConnectEchoServer } from "./connect-echo-server.js";

const variants: readonly { readonly name: string; create(baseUrl: string): Transport }[] = [
  { name: "Connect, binary", create: (baseUrl) => createConnectTransport({ baseUrl, useBinaryFormat: true }) },
  { name: "Connect, JSON", create: (baseUrl) => createConnectTransport({ baseUrl }) },
  { name: "gRPC-Web, binary", create: (baseUrl) => createGrpcWebTransport({ baseUrl }) },
  { name: "gRPC-Web, JSON", create: (baseUrl) => createGrpcWebTransport({ baseUrl, useBinaryFormat: false }) },
];

let server: ConnectEchoServer;
beforeAll(async () => {
  server = await startConnectEchoServer();
});
afterAll(async () => {
  await server.close();
});

describe.each(variants)("the $name fetch transport's binary metadata and error details", (variant) => {
  const client = () => createEchoServiceClient(variant.create(server.baseUrl));

  it("decodes the error details a connect-node server attaches", async () => {
    const error: unknown = await client()
      .echo({ message: `${variant.name} details`, failCode: Code.PERMISSION_DENIED, failMessage: "not yours" })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).toBeInstanceOf(RpcError);
    const rpcError = error as RpcError;
    expect(rpcError.code).toBe(Code.PERMISSION_DENIED);
    const [info] = rpcError.findDetails(ErrorInfoSchema);
    expect(info?.reason).toBe("FAILED_ON_PURPOSE");
    expect(info?.metadata).toEqual({ asked: String(Code.PERMISSION_DENIED) });
  });

  it("sends binary metadata in base64 and decodes binary trailers to bytes", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 255]);
    let trailers: Metadata | undefined;
    await client().echo({ message: `${variant.name} binary` }, { metadata: { "x-raw-bin": bytes as never }, onTrailer: (received) => (trailers = received) });
    expect((await server.observed(`${variant.name} binary`)).headers.get("x-raw-bin")).toBe("AAEC+vv/");
    const [value] = trailers?.get("x-raw-bin") ?? [];
    expect(value).toBeInstanceOf(Uint8Array);
    expect([...(value as Uint8Array)]).toEqual([...bytes]);
  });
});
