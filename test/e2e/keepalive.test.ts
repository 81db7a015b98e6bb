import { closeClient, createServer } from "@stubwright/runtime";
import { keepaliveOptions } from "@stubwright/runtime/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";
import { startWireProbe, type WireProbe } from "../support/tcp-proxy.js";

const echoServer = createServer().add(EchoServiceDefinition, createEchoService());
let probe: WireProbe;

beforeAll(async () => {
  probe = await startWireProbe(await echoServer.listen("127.0.0.1:0"));
});
afterAll(() => {
  probe.close();
  echoServer.forceShutdown();
});

describe("keepalive", () => {
  it("keepaliveOptions maps to grpc-js's option names", () => {
    expect(keepaliveOptions({ timeMs: 30_000, timeoutMs: 5000, permitWithoutCalls: true })).toEqual({
      "grpc.keepalive_time_ms": 30_000,
      "grpc.keepalive_timeout_ms": 5000,
      "grpc.keepalive_permit_without_calls": 1,
    });
    expect(() => keepaliveOptions({ timeMs: 0 })).toThrow(RangeError);
  });

  it("the client sends HTTP/2 PINGs on an idle connection when asked to", async () => {
    const client = createEchoServiceClient(`127.0.0.1:${probe.port}`, {
      channelOptions: keepaliveOptions({ timeMs: 50, permitWithoutCalls: true }),
    });
    try {
      await client.echo({ message: "connect" });
      // Two keepalive pings on the idle connection; without keepalive none come
      // and the test times out.
      await probe.pings(probe.pingsFromClient + 2);
      expect((await client.echo({ message: "still up" })).message).toBe("still up");
    } finally {
      closeClient(client);
    }
  });
});
