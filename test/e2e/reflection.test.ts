import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { fromBinary } from "@bufbuild/protobuf";
import { Code, closeClient, createClient, createServer, type StubwrightServer } from "@stubwright/runtime";
import { addHealthService } from "@stubwright/runtime/health";
import { addReflectionService } from "@stubwright/runtime/reflection";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoServiceDefinition } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";
// The runtime does not export its v1alpha stubs; their definition works with any createClient.
import { ServerReflectionDefinition as V1AlphaDefinition } from "../../packages/runtime/src/gen/grpc/reflection/v1alpha/reflection_grpc.js";
import type { ServerReflectionResponse } from "../../packages/runtime/src/gen/grpc/reflection/v1alpha/reflection_pb.js";
import { allowTimeForPrograms, programTimeoutMs } from "../support/program-timeouts.js";

allowTimeForPrograms();

const buf = createRequire(import.meta.url).resolve("@bufbuild/buf/bin/buf");
const run = promisify(execFile);

let server: StubwrightServer;
let url: string;
let port: number;

beforeAll(async () => {
  server = createServer();
  addReflectionService(server);
  // Added after reflection: reflection still sees it.
  server.add(EchoServiceDefinition, createEchoService());
  addHealthService(server);
  port = await server.listen("127.0.0.1:0");
  url = `http://127.0.0.1:${port}`;
});
afterAll(() => server.forceShutdown());

/** Runs `buf curl` over gRPC with HTTP/2 prior knowledge; no schema given, so it must use reflection. */
async function bufCurl(...args: string[]): Promise<string> {
  // Async on purpose: the server runs in this process and must keep answering.
  const { stdout } = await run(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args], { timeout: programTimeoutMs });
  return stdout;
}

describe("server reflection, as buf curl uses it", () => {
  it("lists the services", async () => {
    const services = (await bufCurl("--list-services", url)).trim().split("\n").sort();
    expect(services).toEqual([
      "fixture.echo.v1.EchoService",
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]);
  });

  it("lists methods over the v1alpha protocol too", async () => {
    const methods = (await bufCurl("--reflect-protocol", "grpc-v1alpha", "--list-methods", url)).trim().split("\n");
    expect(methods).toContain("fixture.echo.v1.EchoService/Expand");
    expect(methods).toContain("grpc.health.v1.Health/Watch");
  });

  it("calls a unary method with JSON input", async () => {
    const output = await bufCurl("-d", '{"message":"hello over reflection","severity":"SEVERITY_ERROR"}', `${url}/fixture.echo.v1.EchoService/Echo`);
    expect(JSON.parse(output)).toMatchObject({ message: "hello over reflection", deadlineMs: "-1" });
  });

  it("calls a server-streaming method with JSON input", async () => {
    const output = await bufCurl("--emit-defaults", "-d", '{"message":"s","repeat":3}', `${url}/fixture.echo.v1.EchoService/Expand`);
    // buf curl prints one pretty-printed JSON document per response.
    const documents = output
      .trim()
      .split(/\n(?=\{)/)
      .map((doc) => JSON.parse(doc) as { message: string; index: number });
    expect(documents.map((d) => [d.message, d.index])).toEqual([
      ["s", 0],
      ["s", 1],
      ["s", 2],
    ]);
  });

  it("answers a failing call with its gRPC status", async () => {
    const failure = await bufCurl("-d", '{"failCode":5,"failMessage":"gone"}', `${url}/fixture.echo.v1.EchoService/Echo`).catch(
      (e: { stderr: string }) => e.stderr,
    );
    expect(failure).toMatch(/not_found/);
    expect(failure).toMatch(/gone/);
  });
});

describe("reflection protocol details", () => {
  it("serves files by name and symbol with dependencies once per stream, errors for unknown names", async () => {
    const client = createClient(V1AlphaDefinition, `127.0.0.1:${port}`);
    try {
      async function* requests() {
        yield { messageRequest: { case: "fileContainingSymbol" as const, value: "fixture.echo.v1.EchoService.Chat" } };
        yield { messageRequest: { case: "fileByFilename" as const, value: "fixture/echo/v1/echo.proto" } };
        yield { messageRequest: { case: "fileContainingSymbol" as const, value: "no.such.Thing" } };
        yield { messageRequest: { case: "allExtensionNumbersOfType" as const, value: "fixture.echo.v1.EchoRequest" } };
      }
      const responses: ServerReflectionResponse[] = [];
      for await (const response of client.serverReflectionInfo(requests())) responses.push(response);
      const names = (i: number) => {
        const r = responses[i]?.messageResponse;
        return r?.case === "fileDescriptorResponse" ? r.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name) : [];
      };
      expect(names(0)[0]).toBe("fixture/echo/v1/echo.proto");
      expect(names(0)).toEqual(expect.arrayContaining(["fixture/common/v1/types.proto", "google/protobuf/empty.proto"]));
      expect(names(1)).toEqual(["fixture/echo/v1/echo.proto"]);
      const echoFile = fromBinary(
        FileDescriptorProtoSchema,
        (responses[0]!.messageResponse.value as { fileDescriptorProto: Uint8Array[] }).fileDescriptorProto[0] as Uint8Array,
      );
      expect(echoFile.service[0]?.method.map((m) => m.name)).toContain("Chat");
      expect(responses[2]?.messageResponse).toMatchObject({ case: "errorResponse", value: { errorCode: Code.NOT_FOUND } });
      expect(responses[3]?.messageResponse).toMatchObject({ case: "allExtensionNumbersResponse", value: { extensionNumber: [] } });
    } finally {
      closeClient(client);
    }
  });
});
