/**
 * `@stubwright/runtime/web`: transports over `fetch`, for browsers (and any
 * runtime with fetch): the Connect protocol and gRPC-Web. Pass one to a
 * generated client factory: `createFooServiceClient(createConnectTransport({
 * baseUrl }))`. Unary and server-streaming calls, and with `streamRequests`
 * client and bidi streaming, half duplex.
 */
export { createConnectTransport, type ConnectTransportOptions } from "./transports/connect/connect-transport.js";
export { createGrpcWebTransport, type GrpcWebTransportOptions } from "./transports/grpc-web/grpc-web-transport.js";
export type { FetchTransportOptions } from "./transports/fetch/fetch-transport.js";
export type { JsonOptions } from "./transports/fetch/message-format.js";
export type { Transport } from "./transports/transport.js";
