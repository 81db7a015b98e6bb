import { readFileSync } from "node:fs";
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";
import { credentials, ServerCredentials } from "@grpc/grpc-js";
import { closeClient, Code, createServer, type ClientOptions, type StubwrightServer } from "@stubwright/runtime";
import { isRetryable } from "@stubwright/runtime/status";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient, EchoServiceDefinition, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { drain, failureOf, requestsOf } from "../support/call-outcome.js";

// Failures below gRPC (no connection, reset, TLS, dropped connection) reach
// the caller as UNAVAILABLE RpcErrors whose message says what went wrong.

const certs = new URL("../fixtures/certs/", import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, certs));

/** Runs `use` with a client for `address`, closing it afterwards. */
async function withClient<T>(address: string, options: ClientOptions, use: (client: EchoServiceClient) => Promise<T>): Promise<T> {
  const client = createEchoServiceClient(address, options);
  try {
    return await use(client);
  } finally {
    closeClient(client);
  }
}

/** A loopback port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("no connection", () => {
  it("connection refused: UNAVAILABLE naming ECONNREFUSED, for every call kind", async () => {
    const address = `127.0.0.1:${await freePort()}`;
    await withClient(address, {}, async (client) => {
      const errors = [
        await failureOf(client.echo({})),
        (await drain(client.expand({}))).error,
        await failureOf(client.collect(requestsOf(1))),
        (await drain(client.chat(requestsOf(1)))).error,
      ];
      for (const error of errors) {
        expect(error?.code).toBe(Code.UNAVAILABLE);
        expect(error?.rawMessage).toMatch(/ECONNREFUSED/);
        expect(isRetryable(error)).toBe(true);
      }
    });
  });

  it("connection reset by the peer: UNAVAILABLE naming ECONNRESET", async () => {
    const resetting: NetServer = createNetServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = resetting.address() as AddressInfo;
      const error = await withClient(`127.0.0.1:${port}`, {}, (client) => failureOf(client.echo({})));
      expect(error.code).toBe(Code.UNAVAILABLE);
      expect(error.rawMessage).toMatch(/ECONNRESET|Connection dropped|Failed to connect/);
    } finally {
      await new Promise((resolve) => resetting.close(resolve));
    }
  });
});

describe("TLS", () => {
  // gRPC's public test certificates, valid for *.test.google.fr (copied from the team's interop material).
  let server: StubwrightServer;
  let address: string;
  const trusted: ClientOptions = {
    credentials: credentials.createSsl(read("interop-ca.pem")),
    channelOptions: { "grpc.ssl_target_name_override": "foo.test.google.fr" },
  };

  beforeAll(async () => {
    server = createServer().add(EchoServiceDefinition, {
      async echo(request) {
        return { message: request.message };
      },
    });
    const tls = ServerCredentials.createSsl(null, [{ cert_chain: read("server1.pem"), private_key: read("server1.key") }]);
    address = `127.0.0.1:${await server.listen("127.0.0.1:0", tls)}`;
  });
  afterAll(() => server.forceShutdown());

  it("works with the right CA and name (control)", async () => {
    const response = await withClient(address, trusted, (client) => client.echo({ message: "over TLS" }));
    expect(response.message).toBe("over TLS");
  });

  it("an untrusted certificate: UNAVAILABLE saying the certificate could not be verified", async () => {
    const error = await withClient(address, { credentials: credentials.createSsl() }, (client) => failureOf(client.echo({})));
    expect(error.code).toBe(Code.UNAVAILABLE);
    expect(error.rawMessage).toMatch(/certificate/i);
  });

  it("a certificate for another name: UNAVAILABLE naming the mismatch", async () => {
    const error = await withClient(address, { credentials: credentials.createSsl(read("interop-ca.pem")) }, (client) => failureOf(client.echo({})));
    expect(error.code).toBe(Code.UNAVAILABLE);
    expect(error.rawMessage).toMatch(/altnames|does not match/i);
  });

  it("plaintext to a TLS server: UNAVAILABLE", async () => {
    const error = await withClient(address, {}, (client) => failureOf(client.echo({})));
    expect(error.code).toBe(Code.UNAVAILABLE);
    expect(error.rawMessage).not.toBe("");
  });
});

describe("an established connection", () => {
  it("a connection dropped mid-stream: UNAVAILABLE after the messages already received", async () => {
    const upstream = createServer().add(EchoServiceDefinition, {
      async *expand(_request, context) {
        yield { message: "first" };
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
      },
    });
    const upstreamPort = await upstream.listen("127.0.0.1:0");
    // A TCP relay in between, so the test can cut the connection itself.
    const sockets = new Set<Socket>();
    const relay = createNetServer((downstream) => {
      const up = connect(upstreamPort, "127.0.0.1");
      for (const socket of [downstream, up]) {
        sockets.add(socket);
        socket.on("error", () => {});
      }
      downstream.pipe(up).pipe(downstream);
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = relay.address() as AddressInfo;
      const outcome = await withClient(`127.0.0.1:${port}`, {}, async (client) => {
        const messages: string[] = [];
        try {
          for await (const response of client.expand({})) {
            messages.push(response.message);
            for (const socket of sockets) socket.resetAndDestroy();
          }
          return { messages, error: undefined };
        } catch (error) {
          return { messages, error };
        }
      });
      expect(outcome.messages).toEqual(["first"]);
      expect(outcome.error).toMatchObject({ code: Code.UNAVAILABLE });
    } finally {
      upstream.forceShutdown();
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});
