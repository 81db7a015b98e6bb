import { create, createRegistry, toBinary } from "@bufbuild/protobuf";
import { anyPack, AnySchema, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { Metadata } from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import { Code, RpcError } from "@stubwright/runtime";
import {
  codeFromHttpStatus,
  codeName,
  codeToHttpStatus,
  decodeStatusDetails,
  encodeStatusDetails,
  isRetryable,
  retryDelayMs,
  rpcErrorFromStatus,
  standardDetailsRegistry,
  statusDetailsKey,
} from "@stubwright/runtime/status";
import {
  BadRequestSchema,
  CodeSchema,
  ErrorInfoSchema,
  HelpSchema,
  LocalizedMessageSchema,
  RetryInfoSchema,
  StatusSchema,
} from "@stubwright/runtime/error-details";
import { describe, expect, it } from "vitest";
import { EchoResponseSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";

const info = create(ErrorInfoSchema, { reason: "LOCKED", domain: "example.com" });
const custom = create(EchoResponseSchema, { message: "custom" });

describe("RpcError details", () => {
  it("takes standard details as they are and packs them for the wire", () => {
    const error = new RpcError(Code.NOT_FOUND, "missing", { details: [info] });
    expect(error.details).toEqual([info]);
    expect(error.findDetails(ErrorInfoSchema)).toEqual([info]);
    expect(error.findDetails(BadRequestSchema)).toEqual([]);
    const status = error.toStatus();
    expect(status.code).toBe(Code.NOT_FOUND);
    expect(status.message).toBe("missing");
    expect(status.details[0]?.typeUrl).toBe("type.googleapis.com/google.rpc.ErrorInfo");
  });

  it("decodes an Any of a known type, keeps an Any of an unknown type, finds both by schema", () => {
    const error = new RpcError(Code.ABORTED, "", {
      details: [anyPack(ErrorInfoSchema, info), anyPack(EchoResponseSchema, custom)],
    });
    expect(error.details[0]).toEqual(info);
    expect(error.details[1]?.$typeName).toBe("google.protobuf.Any");
    expect(error.findDetails(EchoResponseSchema)).toEqual([custom]);
    expect(error.findDetails(createRegistry(EchoResponseSchema, ErrorInfoSchema))).toEqual([info, custom]);
  });

  it("packs any message whose schema is in detailsRegistry, and decodes received ones with it", () => {
    const registry = createRegistry(EchoResponseSchema);
    const error = new RpcError(Code.INTERNAL, "", { details: [custom], detailsRegistry: registry });
    expect(error.details).toEqual([custom]);
    expect(error.toStatus().details[0]?.typeUrl).toBe("type.googleapis.com/fixture.echo.v1.EchoResponse");
    const received = new RpcError(Code.INTERNAL, "", { details: error.toStatus().details, detailsRegistry: registry });
    expect(received.details).toEqual([custom]);
  });

  it("refuses a non-standard message it cannot pack, naming its type", () => {
    expect(() => new RpcError(Code.INTERNAL, "", { details: [custom] })).toThrow(/fixture\.echo\.v1\.EchoResponse has no known schema/);
  });

  it("survives an Any whose bytes do not parse", () => {
    const broken = create(AnySchema, { typeUrl: "type.googleapis.com/google.rpc.ErrorInfo", value: new Uint8Array([0xff, 0xff]) });
    const error = new RpcError(Code.INTERNAL, "", { details: [broken] });
    expect(error.details).toEqual([broken]);
    expect(error.findDetails(ErrorInfoSchema)).toEqual([]);
  });

  it("all ten standard details are in the standard registry", () => {
    const names = [
      "ErrorInfo",
      "RetryInfo",
      "DebugInfo",
      "QuotaFailure",
      "PreconditionFailure",
      "BadRequest",
      "RequestInfo",
      "ResourceInfo",
      "Help",
      "LocalizedMessage",
    ];
    for (const name of names) {
      expect(standardDetailsRegistry.getMessage(`google.rpc.${name}`)?.typeName).toBe(`google.rpc.${name}`);
    }
    expect(HelpSchema.typeName).toBe("google.rpc.Help");
    expect(LocalizedMessageSchema.typeName).toBe("google.rpc.LocalizedMessage");
  });
});

describe("grpc-status-details-bin", () => {
  it("encodes and decodes a google.rpc.Status", () => {
    const bytes = encodeStatusDetails(Code.INVALID_ARGUMENT, "bad", [anyPack(ErrorInfoSchema, info)]);
    const metadata = new Metadata();
    metadata.set(statusDetailsKey, bytes);
    const status = decodeStatusDetails(metadata);
    expect(status?.code).toBe(Code.INVALID_ARGUMENT);
    expect(status?.message).toBe("bad");
    expect(status?.details).toHaveLength(1);
  });

  it("is undefined when absent or malformed", () => {
    expect(decodeStatusDetails(new Metadata())).toBeUndefined();
    expect(decodeStatusDetails(null)).toBeUndefined();
    const metadata = new Metadata();
    metadata.set(statusDetailsKey, Buffer.from([0xff]));
    expect(decodeStatusDetails(metadata)).toBeUndefined();
  });

  it("rpcErrorFromStatus reads details only from a Status with the same code", () => {
    const metadata = new Metadata();
    metadata.set(statusDetailsKey, encodeStatusDetails(Code.NOT_FOUND, "x", [anyPack(ErrorInfoSchema, info)]));
    expect(rpcErrorFromStatus({ code: Code.NOT_FOUND as number, details: "x", metadata }).details).toEqual([info]);
    expect(rpcErrorFromStatus({ code: Code.INTERNAL as number, details: "x", metadata }).details).toEqual([]);
    const unknown = rpcErrorFromStatus({ code: 99 as number, details: "future", metadata: null });
    expect(unknown.code).toBe(Code.UNKNOWN);
    expect(unknown.rawMessage).toBe("future");
  });

  it("the Status bytes are plain protobuf any implementation can read", () => {
    const status = create(StatusSchema, { code: 5, message: "m", details: [anyPack(TimestampSchema, create(TimestampSchema))] });
    expect(Buffer.from(toBinary(StatusSchema, status))).toEqual(encodeStatusDetails(5, "m", status.details));
  });
});

describe("codes", () => {
  it("Code is google.rpc.Code: same names, same numbers", () => {
    const canonical = CodeSchema.values.map((value) => [value.name, value.number]);
    const ours = Object.entries(Code).filter(([, value]) => typeof value === "number");
    expect(ours.sort()).toEqual(canonical.sort());
  });

  it("codeToHttpStatus follows the HTTP Mapping lines of google/rpc/code.proto", () => {
    const proto = readFileSync(new URL("../../packages/runtime/proto/google/rpc/code.proto", import.meta.url), "utf8");
    const mappings = [...proto.matchAll(/HTTP Mapping: (\d{3})[^\n]*\n\s*([A-Z_]+) = (\d+);/g)];
    expect(mappings).toHaveLength(17);
    for (const [, http, name, number] of mappings) {
      expect(codeName(Number(number))).toBe(name);
      expect(codeToHttpStatus(Number(number))).toBe(Number(http));
    }
    expect(codeToHttpStatus(99)).toBe(500);
  });

  it("codeFromHttpStatus follows gRPC's HTTP to gRPC mapping", () => {
    const table: [number, Code][] = [
      [400, Code.INTERNAL],
      [401, Code.UNAUTHENTICATED],
      [403, Code.PERMISSION_DENIED],
      [404, Code.UNIMPLEMENTED],
      [429, Code.UNAVAILABLE],
      [502, Code.UNAVAILABLE],
      [503, Code.UNAVAILABLE],
      [504, Code.UNAVAILABLE],
      [200, Code.UNKNOWN],
      [500, Code.UNKNOWN],
      [418, Code.UNKNOWN],
    ];
    for (const [http, code] of table) {
      expect(codeFromHttpStatus(http), String(http)).toBe(code);
    }
  });
});

describe("retry hints", () => {
  it("UNAVAILABLE is retryable; other codes are not on their own", () => {
    for (const code of Object.values(Code).filter((c): c is Code => typeof c === "number")) {
      expect(isRetryable(code), codeName(code)).toBe(code === Code.UNAVAILABLE);
      expect(isRetryable(new RpcError(code)), codeName(code)).toBe(code === Code.UNAVAILABLE);
    }
  });

  it("a RetryInfo detail makes any error retryable, with its delay", () => {
    const error = new RpcError(Code.RESOURCE_EXHAUSTED, "quota", {
      details: [create(RetryInfoSchema, { retryDelay: { seconds: 2n, nanos: 500_000_000 } })],
    });
    expect(isRetryable(error)).toBe(true);
    expect(retryDelayMs(error)).toBe(2500);
    expect(retryDelayMs(new RpcError(Code.UNAVAILABLE))).toBeUndefined();
    expect(retryDelayMs(new RpcError(Code.ABORTED, "", { details: [create(RetryInfoSchema)] }))).toBe(0);
  });

  it("anything that is not an RpcError or a code is not retryable", () => {
    for (const value of [new Error("x"), "UNAVAILABLE", undefined, null, { code: Code.UNAVAILABLE }]) {
      expect(isRetryable(value)).toBe(false);
    }
  });
});
