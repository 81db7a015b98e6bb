/**
 * `@stubwright/runtime/credentials`: TLS and mTLS for servers and channels,
 * bearer-token call credentials, and keepalive: how a connection is secured
 * and kept alive, all in grpc-js's own types.
 */
export {
  createServerTls,
  createChannelTls,
  type Pem,
  type ServerTlsOptions,
  type ChannelTlsOptions,
} from "./tls.js";
export { bearerTokenCredentials } from "./token-credentials.js";
export type { TokenSource } from "../interceptors/bearer-auth.js";
export { keepaliveOptions, type KeepaliveOptions } from "./keepalive.js";
