import { ServerCredentials } from "@grpc/grpc-js";
import { createServer, type StubwrightServer } from "@stubwright/runtime";
import { loadTestCerts, type TestCerts } from "../certs.js";
import { TestServiceDefinition } from "../gen/src/proto/grpc/testing/test_grpc.js";
import { trackRequestCompression } from "./request-compression.js";
import { createTestService } from "./test-service.js";

/** Options for {@link startInteropServer}. */
export interface InteropServerOptions {
  /** Host to bind (default `127.0.0.1`); the contract allows `0.0.0.0` and `::` too. */
  readonly host?: string | undefined;
  /** Port to bind (default 0: any free port). */
  readonly port?: number | undefined;
  /** Serve TLS with server1.pem / server1.key (default false: plaintext HTTP/2). */
  readonly useTls?: boolean | undefined;
  /** Certificates to use with `useTls` (default: the package's copy). */
  readonly certs?: TestCerts | undefined;
}

/** A running interop server. */
export interface InteropServer {
  readonly server: StubwrightServer;
  /** The bound port. */
  readonly port: number;
  /** Stops the server: in-flight calls get `graceMs` (default 1000) to finish. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Serves `grpc.testing.TestService` (every interop server feature) on
 * Stubwright's runtime. `grpc.testing.UnimplementedService` is deliberately
 * not registered, so grpc-js answers it with UNIMPLEMENTED.
 */
export async function startInteropServer(options: InteropServerOptions = {}): Promise<InteropServer> {
  const server = createServer({
    onError: (error, info) => console.error(`[interop-server] ${info.method.path}:`, error),
    codec: trackRequestCompression(),
  });
  server.add(TestServiceDefinition, createTestService());
  const host = options.host ?? "127.0.0.1";
  const address = host.includes(":") && !host.startsWith("[") ? `[${host}]:${options.port ?? 0}` : `${host}:${options.port ?? 0}`;
  const port = await server.listen(address, serverCredentials(options));
  return {
    server,
    port,
    close: (graceMs = 1000) => server.shutdown({ graceMs }),
  };
}

function serverCredentials(options: InteropServerOptions): ServerCredentials {
  if (options.useTls !== true) {
    return ServerCredentials.createInsecure();
  }
  const certs = options.certs ?? loadTestCerts();
  return ServerCredentials.createSsl(null, [{ private_key: certs.serverKey, cert_chain: certs.serverCert }], false);
}
