import { closeClient, createServer, type ClientOptions } from "@stubwright/runtime";
import { compressionOptions } from "@stubwright/runtime/channel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";
import { startWireProbe, type WireProbe } from "../support/tcp-proxy.js";

const echoServer = createServer().add(EchoServiceDefinition, createEchoService());
let upstreamPort: number;
const probes: WireProbe[] = [];

beforeAll(async () => {
  upstreamPort = await echoServer.listen("127.0.0.1:0");
});
afterAll(() => {
  for (const probe of probes) probe.close();
  echoServer.forceShutdown();
});

// 200 kB that gzip shrinks to well under 10 kB.
const big = "stubwright ".repeat(20_000);

async function* many(count: number) {
  for (let i = 0; i < count; i++) yield { message: big };
}

/** Bytes the client sends for `call`, measured on a fresh connection through a probe. */
async function bytesSent(options: ClientOptions, call: (client: ReturnType<typeof createEchoServiceClient>) => Promise<unknown>): Promise<number> {
  const probe = await startWireProbe(upstreamPort);
  probes.push(probe);
  const client = createEchoServiceClient(`127.0.0.1:${probe.port}`, options);
  try {
    await call(client);
    return probe.bytesFromClient;
  } finally {
    closeClient(client);
  }
}

describe("request compression", () => {
  it("gzip per client: requests cross the wire compressed and arrive intact", async () => {
    const plain = await bytesSent({}, async (client) => expect((await client.echo({ message: big })).message).toBe(big));
    const gzip = await bytesSent({ compression: "gzip" }, async (client) => expect((await client.echo({ message: big })).message).toBe(big));
    console.log(`unary 200 kB request: ${plain} bytes plain, ${gzip} bytes gzip`);
    expect(plain).toBeGreaterThan(big.length);
    expect(gzip).toBeLessThan(big.length / 10);
  });

  it("applies to streamed requests, and deflate works too", async () => {
    const collect = async (client: ReturnType<typeof createEchoServiceClient>) => expect((await client.collect(many(3))).index).toBe(3);
    expect(await bytesSent({ compression: "gzip" }, collect)).toBeLessThan(big.length / 5);
    expect(await bytesSent({ compression: "deflate" }, collect)).toBeLessThan(big.length / 5);
  });

  it("per call: compress: false opts one call out", async () => {
    const optedOut = await bytesSent({ compression: "gzip" }, async (client) => {
      expect((await client.echo({ message: big }, { compress: false })).message).toBe(big);
    });
    expect(optedOut).toBeGreaterThan(big.length);
  });

  it("rejects unknown algorithms", () => {
    expect(() => compressionOptions("brotli" as never)).toThrow(/unknown compression/);
  });
});
