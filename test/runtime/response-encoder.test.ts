import { Code } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";
import { UnsendableResponseError, createResponseEncoder } from "../../packages/runtime/src/server/response-encoder.js";
import { EchoServiceDefinition } from "../golden/ts/fixture/echo/v1/echo_grpc.js";

const path = EchoServiceDefinition.echo.path;
const serialize = EchoServiceDefinition.echo.responseSerialize as (message: unknown) => Buffer;

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("the server's response encoder", () => {
  it("serializes a response as the method's serializer does", () => {
    const encode = createResponseEncoder(path, serialize, undefined);
    expect(encode({ message: "hello", index: 3 })).toEqual(serialize({ message: "hello", index: 3 }));
  });

  it("turns a message that does not serialize into INTERNAL for the client, keeping the cause for the server", () => {
    const encode = createResponseEncoder(path, serialize, undefined);
    const error = thrownBy(() => encode({ index: -1 }));
    expect(error).toBeInstanceOf(UnsendableResponseError);
    const unsendable = error as UnsendableResponseError;
    expect(unsendable.status.code).toBe(Code.INTERNAL);
    expect(unsendable.status.rawMessage).toBe("Error serializing response");
    expect(unsendable.message).toMatch(new RegExp(`^cannot serialize the response of ${path}: .*invalid uint32: -1`));
    expect((unsendable.cause as Error).message).toMatch(/invalid uint32: -1/);
  });

  it("holds messages to grpc-js's send limit: larger is RESOURCE_EXHAUSTED, the limit itself passes", () => {
    const size = serialize({ message: "x".repeat(100) }).length;
    const encode = createResponseEncoder(path, serialize, size);
    expect(encode({ message: "x".repeat(100) })).toHaveLength(size);
    const error = thrownBy(() => encode({ message: "x".repeat(101) })) as UnsendableResponseError;
    expect(error).toBeInstanceOf(UnsendableResponseError);
    expect(error.status.code).toBe(Code.RESOURCE_EXHAUSTED);
    expect(error.status.rawMessage).toBe(`Sent message larger than max (${size + 1} vs. ${size})`);
  });

  it("applies no limit for -1, grpc-js's value for none", () => {
    const encode = createResponseEncoder(path, serialize, -1);
    expect(encode({ message: "x".repeat(1 << 20) }).length).toBeGreaterThan(1 << 20);
  });
});
