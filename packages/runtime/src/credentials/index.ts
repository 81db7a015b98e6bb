export {
  createServerTls,
  createChannelTls,
  type Pem,
  type ServerTlsOptions,
  type ChannelTlsOptions,
} from "./tls.js";
export { bearerTokenCredentials } from "./token-credentials.js";
export { keepaliveOptions, type KeepaliveOptions } from "./keepalive.js";
