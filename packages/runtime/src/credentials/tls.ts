import { ServerCredentials, credentials, type ChannelCredentials } from "@grpc/grpc-js";

/** PEM text or bytes. */
export type Pem = string | Buffer;

/** Options for {@link createServerTls}. */
export interface ServerTlsOptions {
  /** The server's certificate chain (PEM). */
  readonly certChain: Pem;
  /** The server's private key (PEM). */
  readonly privateKey: Pem;
  /** CA certificates that client certificates must chain to (PEM); setting it enables mTLS. */
  readonly clientCa?: Pem | undefined;
  /** Refuse clients without a valid certificate (default: true when `clientCa` is set). */
  readonly requireClientCertificate?: boolean | undefined;
}

/**
 * TLS (or, with `clientCa`, mutual TLS) credentials for
 * `server.listen(address, credentials)`, through grpc-js's
 * `ServerCredentials.createSsl`.
 */
export function createServerTls(options: ServerTlsOptions): ServerCredentials {
  const clientCa = options.clientCa === undefined ? null : toBuffer(options.clientCa);
  return ServerCredentials.createSsl(
    clientCa,
    [{ cert_chain: toBuffer(options.certChain), private_key: toBuffer(options.privateKey) }],
    options.requireClientCertificate ?? clientCa !== null,
  );
}

/** Options for {@link createChannelTls}. */
export interface ChannelTlsOptions {
  /** CA certificates the server's certificate must chain to (PEM); default: the system's roots. */
  readonly rootCerts?: Pem | undefined;
  /** The client's certificate chain, for mTLS (PEM; with `privateKey`). */
  readonly certChain?: Pem | undefined;
  /** The client's private key, for mTLS (PEM; with `certChain`). */
  readonly privateKey?: Pem | undefined;
}

/**
 * TLS channel credentials for a client (`{ credentials }` in the client
 * options), through grpc-js's `credentials.createSsl`. To reach a server by
 * an address its certificate does not name, also set the channel option
 * `grpc.ssl_target_name_override` to a name it does.
 */
export function createChannelTls(options: ChannelTlsOptions = {}): ChannelCredentials {
  if ((options.certChain === undefined) !== (options.privateKey === undefined)) {
    throw new TypeError("createChannelTls: certChain and privateKey must be given together");
  }
  return credentials.createSsl(
    options.rootCerts === undefined ? null : toBuffer(options.rootCerts),
    options.privateKey === undefined ? null : toBuffer(options.privateKey),
    options.certChain === undefined ? null : toBuffer(options.certChain),
  );
}

function toBuffer(pem: Pem): Buffer {
  return typeof pem === "string" ? Buffer.from(pem) : pem;
}
