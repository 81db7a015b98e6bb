import { Code, RpcError } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEcho, type EchoHarness } from "../support/echo-harness.js";

let echo: EchoHarness;
beforeAll(async () => {
  echo = await startEcho();
});
afterAll(() => echo.close());

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

describe("every call kind over 127.0.0.1", () => {
  it("unary", async () => {
    const response = await echo.client.echo({ message: "hello" });
    expect(response.message).toBe("hello");
  });

  it("server streaming", async () => {
    const indexes: number[] = [];
    for await (const response of echo.client.expand({ message: "x", repeat: 3 })) {
      indexes.push(response.index);
    }
    expect(indexes).toEqual([0, 1, 2]);
  });

  it("client streaming", async () => {
    const response = await echo.client.collect(fromArray([{ message: "a" }, { message: "b" }]));
    expect(response.message).toBe("a,b");
  });

  it("bidi streaming", async () => {
    const seen: string[] = [];
    for await (const response of echo.client.chat(fromArray([{ message: "1" }, { message: "2" }]))) {
      seen.push(response.message);
    }
    expect(seen).toEqual(["1", "2"]);
  });

  it("missing handlers answer UNIMPLEMENTED", async () => {
    const error = await echo.client.unimplemented({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(Code.UNIMPLEMENTED);
  });
});
