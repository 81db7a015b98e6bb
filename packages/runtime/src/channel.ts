/**
 * `@stubwright/runtime/channel`: settings of the grpc-js channel a client
 * dials with, and the grpc-js client underneath. `ClientOptions` covers the
 * common cases (`compression`, `retry`, `loadBalancing`, an address list as
 * source); these helpers are for composing grpc-js options by hand.
 */
export { compressionOptions } from "./compression/compression.js";
export { uncompressed } from "./client/write-flags.js";
export { createServiceConfig, type ServiceConfigOptions } from "./service-config/service-config.js";
export { addressListTarget } from "./load-balancing/address-list.js";
export { getGrpcClient } from "./client/create-client.js";
