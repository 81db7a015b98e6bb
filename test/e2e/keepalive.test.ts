import { createConnection, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import { closeClient, createServer, keepaliveOptions } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";

const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/**
 * A TCP proxy that counts the HTTP/2 PING frames (not PING acks) the client
 * sends, so the test sees keepalive on the wire rather than trusting options.
 */
function createPingCounter(upstreamPort: number): { server: TcpServer; pings: () => number; close(): void } {
  let pings = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((downstream) => {
    const upstream = createConnection(upstreamPort, "127.0.0.1");
    sockets.add(downstream).add(upstream);
    let pending = Buffer.alloc(0);
    let prefaceSeen = false;
    downstream.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      if (!prefaceSeen && pending.length >= preface.length) {
        pending = pending.subarray(preface.length);
        prefaceSeen = true;
      }
      // Each frame: 3-byte length, type, flags, 4-byte stream id, payload.
      while (prefaceSeen && pending.length >= 9 && pending.length >= 9 + pending.readUIntBE(0, 3)) {
        const [type, flags] = [pending[3], pending[4] ?? 0];
        if (type === 0x6 && (flags & 0x1) === 0) pings++;
        pending = pending.subarray(9 + pending.readUIntBE(0, 3));
      }
    });
    upstream.on("data", (chunk: Buffer) => downstream.write(chunk));
    for (const [a, b] of [[downstream, upstream], [upstream, downstream]] as const) {
      a.on("close", () => b.destroy());
      a.on("error", () => b.destroy());
    }
  });
  return {
    server,
    pings: () => pings,
    close() {
      sockets.forEach((socket) => socket.destroy());
      server.close();
    },
  };
}

const echoServer = createServer().add(EchoServiceDefinition, createEchoService());
let proxy: ReturnType<typeof createPingCounter>;
let proxyPort: number;

beforeAll(async () => {
  const port = await echoServer.listen("127.0.0.1:0");
  proxy = createPingCounter(port);
  await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
  proxyPort = (proxy.server.address() as AddressInfo).port;
});
afterAll(() => {
  proxy.close();
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
    const client = createEchoServiceClient(`127.0.0.1:${proxyPort}`, {
      channelOptions: keepaliveOptions({ timeMs: 50, permitWithoutCalls: true }),
    });
    try {
      await client.echo({ message: "connect" });
      const before = proxy.pings();
      // Bounded wait (at most 5 s) for two keepalive pings.
      for (let i = 0; i < 250 && proxy.pings() < before + 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(proxy.pings()).toBeGreaterThanOrEqual(before + 2);
      expect((await client.echo({ message: "still up" })).message).toBe("still up");
    } finally {
      closeClient(client);
    }
  });
});
