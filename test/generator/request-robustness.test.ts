import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { clone, create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  CodeGeneratorResponseSchema,
  Edition,
  type CodeGeneratorRequest,
  type CodeGeneratorResponse,
} from "@bufbuild/protobuf/wkt";
import { createStubwrightPlugin, runPlugin } from "@stubwright/protoc-gen-stubwright";
import { beforeAll, describe, expect, it } from "vitest";
import { buildRequest } from "../support/code-generator-request.mjs";
import { repoRoot, tools } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

/** Runs a fresh plugin instance on encoded request bytes. */
function run(bytes: Uint8Array): CodeGeneratorResponse {
  return fromBinary(CodeGeneratorResponseSchema, runPlugin(createStubwrightPlugin(), bytes));
}

function runRequest(request: CodeGeneratorRequest): CodeGeneratorResponse {
  return run(toBinary(CodeGeneratorRequestSchema, request));
}

/** The response of a request that must fail: an error, and no files. */
function failure(request: CodeGeneratorRequest): string {
  const response = runRequest(request);
  expect(response.file).toEqual([]);
  expect(response.error).not.toBe("");
  return response.error ?? "";
}

let echo: CodeGeneratorRequest;
let legacy: CodeGeneratorRequest;
beforeAll(() => {
  const parameter = "target=ts,import_extension=js";
  echo = buildRequest("test/fixtures/protos", { parameter, paths: ["fixture/echo/v1/echo.proto"] });
  legacy = buildRequest("test/fixtures/protos", { parameter, paths: ["fixture/legacy/legacy.proto"] });
});

describe("the plugin on broken CodeGeneratorRequests", () => {
  it("generates the golden output from a well-formed request (the baseline)", () => {
    const response = runRequest(echo);
    expect(response.error ?? "").toBe("");
    expect(response.file.map((f) => f.name)).toEqual(["fixture/echo/v1/echo_grpc.ts"]);
    expect(response.file[0]?.content).toBe(readFileSync(join(repoRoot, "test/golden/ts/fixture/echo/v1/echo_grpc.ts"), "utf8"));
  });

  it("bytes that are not a request", () => {
    const response = run(new Uint8Array([0x0a, 0x05, 0x61]));
    expect(response.error).toMatch(/^protoc-gen-stubwright: malformed CodeGeneratorRequest on stdin: /);
    expect(response.file).toEqual([]);
  });

  it("a file to generate that the request does not carry", () => {
    const request = clone(CodeGeneratorRequestSchema, echo);
    request.fileToGenerate.push("fixture/echo/v1/missing.proto");
    expect(failure(request)).toContain("fixture/echo/v1/missing.proto");
  });

  it("an import that the request does not carry", () => {
    const request = clone(CodeGeneratorRequestSchema, legacy);
    request.protoFile = request.protoFile.filter((file) => file.name !== "fixture/common/v1/types.proto");
    const error = failure(request);
    expect(error).toContain("fixture/common/v1/types.proto");
    expect(error).toContain("fixture/legacy/legacy.proto");
  });

  it("a method whose request type does not exist", () => {
    const request = clone(CodeGeneratorRequestSchema, echo);
    const file = request.protoFile.find((f) => f.name === "fixture/echo/v1/echo.proto")!;
    file.service[0]!.method[0]!.inputType = ".fixture.echo.v1.Gone";
    expect(failure(request)).toContain(".fixture.echo.v1.Gone");
  });

  it("a service name that is not an identifier", () => {
    const request = clone(CodeGeneratorRequestSchema, echo);
    request.protoFile.find((f) => f.name === "fixture/echo/v1/echo.proto")!.service[0]!.name = "Echo-Service";
    expect(failure(request)).toMatch(/invalid service name "Echo-Service"/);
  });

  it("an edition the plugin does not support", () => {
    const request = clone(CodeGeneratorRequestSchema, echo);
    const file = request.protoFile.find((f) => f.name === "fixture/echo/v1/echo.proto")!;
    file.syntax = "editions";
    file.edition = Edition.EDITION_99999_TEST_ONLY;
    expect(failure(request)).toMatch(/fixture\/echo\/v1\/echo\.proto: unsupported edition 99999_TEST_ONLY/);
  });

  it("an unknown option", () => {
    const request = clone(CodeGeneratorRequestSchema, echo);
    request.parameter = "target=ts,no_such_option=1";
    expect(failure(request)).toMatch(/invalid option "no_such_option=1": unknown option "no_such_option"/);
  });

  it("the executable exits 1 on stdin that is no request, with a message and no stack trace, as protoc's plugins do", () => {
    const result = spawnSync(process.execPath, [tools.protocGenStubwright], { input: Buffer.from([0xff, 0xff, 0xff]) });
    expect(result.status).toBe(1);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr.toString()).toMatch(/^protoc-gen-stubwright: stdin is not a CodeGeneratorRequest \(3 bytes\): /);
    expect(result.stderr.toString()).not.toMatch(/\n\s+at /);
  });

  it("the executable answers a request cut short (mid-field) the same way", () => {
    const bytes = toBinary(CodeGeneratorRequestSchema, echo);
    for (const length of [1, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const cut = bytes.subarray(0, length);
      expect(() => fromBinary(CodeGeneratorRequestSchema, cut)).toThrow();
      const result = spawnSync(process.execPath, [tools.protocGenStubwright], { input: cut });
      expect(result.status).toBe(1);
      expect(result.stderr.toString()).toMatch(/^protoc-gen-stubwright: stdin is not a CodeGeneratorRequest /);
    }
  });

  it("an empty request generates nothing, without error", () => {
    const response = runRequest(create(CodeGeneratorRequestSchema, {}));
    expect(response.error ?? "").toBe("");
    expect(response.file).toEqual([]);
  });
});
