import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { credentials } from "@grpc/grpc-js";
import { Code, closeClient, createServer, type ClientOptions, type ServerCallContext, type StubwrightServer } from "@stubwright/runtime";
import { bearerAuthInterceptor, createContextKey } from "@stubwright/runtime/interceptors";
import { bearerTokenCredentials, createChannelTls, createServerTls } from "@stubwright/runtime/credentials";
import { afterEach, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";

const here = dirname(fileURLToPath(import.meta.url));
const certs = (name: string) => readFileSync(join(here, "../fixtures/certs", name));
const repoRoot = resolve(here, "../..");
// The team's shared material sits beside the clone (../shared); in a worktree under wt/ one level further up.
const sharedCerts = [join(repoRoot, "../shared/interop/certs"), join(repoRoot, "../../shared/interop/certs")].find((dir) => existsSync(dir));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function serve(server: StubwrightServer, tls: ReturnType<typeof createServerTls>): Promise<number> {
  cleanups.push(() => server.forceShutdown());
  return server.listen("127.0.0.1:0", tls);
}

function connect(port: number, options: ClientOptions): EchoServiceClient {
  // Dial 127.0.0.1 but verify the certificate's DNS name: TLS forbids an IP address as SNI server name.
  const channelOptions = { "grpc.ssl_target_name_override": "localhost", ...options.channelOptions };
  const client = createEchoServiceClient(`127.0.0.1:${port}`, { ...options, channelOptions });
  cleanups.push(() => closeClient(client));
  return client;
}

const serverTls = () => createServerTls({ certChain: certs("server.pem"), privateKey: certs("server.key") });

describe("TLS", () => {
  it("serves over TLS to clients that trust the CA, and only to them", async () => {
    const port = await serve(createServer().add(EchoServiceDefinition, createEchoService()), serverTls());
    const trusting = connect(port, { credentials: createChannelTls({ rootCerts: certs("ca.pem") }) });
    expect((await trusting.echo({ message: "secure" })).message).toBe("secure");
    const plaintext = connect(port, { defaultTimeoutMs: 2000 });
    await expect(plaintext.echo({})).rejects.toMatchObject({ code: expect.toBeOneOf([Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED]) });
    const systemRoots = connect(port, { credentials: createChannelTls(), defaultTimeoutMs: 2000 });
    await expect(systemRoots.echo({})).rejects.toMatchObject({ code: expect.toBeOneOf([Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED]) });
  });

  it("mutual TLS: refuses clients without a certificate, serves those with one", async () => {
    const tls = createServerTls({ certChain: certs("server.pem"), privateKey: certs("server.key"), clientCa: certs("ca.pem") });
    const port = await serve(createServer().add(EchoServiceDefinition, createEchoService()), tls);
    const anonymous = connect(port, { credentials: createChannelTls({ rootCerts: certs("ca.pem") }), defaultTimeoutMs: 2000 });
    await expect(anonymous.echo({})).rejects.toMatchObject({ code: expect.toBeOneOf([Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED]) });
    const withCertificate = connect(port, {
      credentials: createChannelTls({ rootCerts: certs("ca.pem"), certChain: certs("client.pem"), privateKey: certs("client.key") }),
    });
    expect((await withCertificate.echo({ message: "mutual" })).message).toBe("mutual");
  });

  it.skipIf(sharedCerts === undefined)("works with the team's interop certificates and a target name override", async () => {
    const dir = sharedCerts as string;
    const file = (name: string) => readFileSync(join(dir, name));
    const port = await serve(
      createServer().add(EchoServiceDefinition, createEchoService()),
      createServerTls({ certChain: file("server1.pem"), privateKey: file("server1.key") }),
    );
    const client = connect(port, {
      credentials: createChannelTls({ rootCerts: file("ca.pem") }),
      channelOptions: { "grpc.ssl_target_name_override": "foo.test.google.fr", "grpc.default_authority": "foo.test.google.fr" },
    });
    expect((await client.echo({ message: "interop certs" })).message).toBe("interop certs");
  });

  it("expects certChain and privateKey together", () => {
    expect(() => createChannelTls({ certChain: certs("client.pem") })).toThrow(/together/);
  });
});

describe("per-call credentials", () => {
  const user = createContextKey<string | undefined>(undefined, "user");
  const server = () =>
    createServer({
      use: [bearerAuthInterceptor({ key: user, verify: (token) => (token.startsWith("token-") ? token.slice(6) : undefined) })],
    }).add(EchoServiceDefinition, {
      ...createEchoService(),
      echo: (_request: unknown, context: ServerCallContext) => ({ message: context.values.get(user) ?? "" }),
    });

  it("ask a token provider on every call, per call or for the whole channel", async () => {
    const port = await serve(server(), serverTls());
    let issued = 0;
    const provider = async () => `token-${++issued}`;
    const client = connect(port, { credentials: createChannelTls({ rootCerts: certs("ca.pem") }) });
    await expect(client.echo({})).rejects.toMatchObject({ code: Code.UNAUTHENTICATED });
    expect((await client.echo({}, { credentials: bearerTokenCredentials(provider) })).message).toBe("1");
    expect((await client.echo({}, { credentials: bearerTokenCredentials(provider) })).message).toBe("2");
    const everyCall = connect(port, {
      credentials: credentials.combineChannelCredentials(createChannelTls({ rootCerts: certs("ca.pem") }), bearerTokenCredentials(provider)),
    });
    expect((await everyCall.echo({})).message).toBe("3");
  });

  it("fail the call with UNAVAILABLE when the token provider fails", async () => {
    const port = await serve(server(), serverTls());
    const client = connect(port, { credentials: createChannelTls({ rootCerts: certs("ca.pem") }) });
    const failing = bearerTokenCredentials(() => Promise.reject(new Error("token service down")));
    await expect(client.echo({}, { credentials: failing })).rejects.toMatchObject({ code: Code.UNAVAILABLE });
  });
});
