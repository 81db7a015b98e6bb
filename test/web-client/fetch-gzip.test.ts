import { Code, RpcError } from "@stubwright/runtime";
import { createConnectTransport, createGrpcWebTransport } from "@stubwright/runtime/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { startWebServerFixture, type WebServerFixture } from "../support/web-server-fixture.js";

/** The fetch transports accept gzip-compressed stream messages from our server (which compresses messages of 1 KiB and more). */
let fixture: WebServerFixture;

beforeAll(async () => {
  fixture = await startWebServerFixture();
});

afterAll(async () => {
  await fixture.close();
});

/** Node's fetch, recording the message encoding each response names. */
function recordingFetch(encodings: (string | null)[], header: string): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    encodings.push(response.headers.get(header));
    return response;
  };
}

describe.each([
  {
    name: "Connect, binary",
    header: "connect-content-encoding",
    create: (fetch: typeof globalThis.fetch, maxResponseBytes?: number) =>
      createConnectTransport({ baseUrl: fixture.http1Url, fetch, useBinaryFormat: true, maxResponseBytes }),
  },
  {
    name: "Connect, JSON",
    header: "connect-content-encoding",
    create: (fetch: typeof globalThis.fetch, maxResponseBytes?: number) => createConnectTransport({ baseUrl: fixture.http1Url, fetch, maxResponseBytes }),
  },
  {
    name: "gRPC-Web",
    header: "grpc-encoding",
    create: (fetch: typeof globalThis.fetch, maxResponseBytes?: number) =>
      createGrpcWebTransport({ baseUrl: fixture.http1Url, fetch, maxResponseBytes, acceptGzip: true }),
  },
])("$name over fetch", ({ header, create }) => {
  it("asks for gzip and reads the compressed messages of a stream", async () => {
    const encodings: (string | null)[] = [];
    const client = createEchoServiceClient(create(recordingFetch(encodings, header)));
    const messages: string[] = [];
    for await (const response of client.expand({ message: "z".repeat(4096), repeat: 3 })) {
      messages.push(response.message);
    }
    expect(messages).toEqual([0, 1, 2].map((index) => `${"z".repeat(4096)}-${index}`));
    expect(encodings).toEqual(["gzip"]);
  });

  it("holds a compressed message to maxResponseBytes once decompressed: RESOURCE_EXHAUSTED", async () => {
    const encodings: (string | null)[] = [];
    const client = createEchoServiceClient(create(recordingFetch(encodings, header), 2048));
    let error: unknown;
    try {
      for await (const _ of client.expand({ message: "z".repeat(4096), repeat: 1 })) {
        // A 4 KiB message compresses far below 2 KiB, but must not be accepted.
      }
    } catch (caught) {
      error = caught;
    }
    expect(encodings).toEqual(["gzip"]);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(Code.RESOURCE_EXHAUSTED);
  });
});

it("gRPC-Web asks for gzip only with acceptGzip, as CORS policies may not allow the header", async () => {
  const encodings: (string | null)[] = [];
  const client = createEchoServiceClient(createGrpcWebTransport({ baseUrl: fixture.http1Url, fetch: recordingFetch(encodings, "grpc-encoding") }));
  const messages: string[] = [];
  for await (const response of client.expand({ message: "z".repeat(4096), repeat: 1 })) {
    messages.push(response.message);
  }
  expect(messages).toHaveLength(1);
  expect(encodings).toEqual([null]);
});
