import { compressionAlgorithms, credentials, type ChannelCredentials, type ChannelOptions } from "@grpc/grpc-js";
import type { ClientOptions } from "@stubwright/runtime";
import { loadTestCerts, type TestCerts } from "../certs.js";

/** Where and how the interop client connects (the standard client flags). */
export interface InteropConnection {
  /** `--server_host` (default `127.0.0.1`). */
  readonly host: string;
  /** `--server_port`. */
  readonly port: number;
  /** `--use_tls`. */
  readonly useTls: boolean;
  /** `--use_test_ca`: trust the interop test CA instead of the system's roots. */
  readonly useTestCa?: boolean | undefined;
  /** `--server_host_override`: the TLS name and `:authority` to claim, e.g. `foo.test.google.fr`. */
  readonly serverHostOverride?: string | undefined;
  /** Certificates for `useTestCa` (default: the package's copy). */
  readonly certs?: TestCerts | undefined;
}

/** The `host:port` target of a connection, bracketing IPv6 literals. */
export function targetOf(connection: InteropConnection): string {
  const { host, port } = connection;
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Client options for a connection. With `compress`, the channel gzips every
 * request message (grpc-js's `grpc.default_compression_algorithm`); single
 * messages of a stream can opt out with the runtime's `uncompressed()`.
 */
export function clientOptionsFor(connection: InteropConnection, compress: boolean): ClientOptions {
  const channelOptions: ChannelOptions = {};
  if (connection.serverHostOverride !== undefined && connection.serverHostOverride !== "") {
    channelOptions["grpc.ssl_target_name_override"] = connection.serverHostOverride;
    channelOptions["grpc.default_authority"] = connection.serverHostOverride;
  }
  if (compress) {
    channelOptions["grpc.default_compression_algorithm"] = compressionAlgorithms.gzip;
  }
  return { credentials: channelCredentials(connection), channelOptions };
}

function channelCredentials(connection: InteropConnection): ChannelCredentials {
  if (!connection.useTls) {
    return credentials.createInsecure();
  }
  const roots = connection.useTestCa === true ? (connection.certs ?? loadTestCerts()).ca : null;
  return credentials.createSsl(roots);
}
