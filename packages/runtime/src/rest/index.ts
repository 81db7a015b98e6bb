/**
 * `@stubwright/runtime/rest`: serves a server's methods over HTTP/1.1 and
 * JSON from their `google.api.http` annotations (gRPC transcoding), through
 * the same dispatcher as gRPC: `http.createServer(createRestHandler(server))`;
 * or, in front of a gRPC server elsewhere, `createRestGateway(services, address)`.
 * See docs/rest-gateway.md.
 */
export { createRestHandler, type RestHandlerOptions, type RestRequestListener } from "./create-rest-handler.js";
export { createRestGateway, type RestGateway, type RestGatewayOptions } from "./create-rest-gateway.js";
export { HttpRuleError } from "./http-bindings.js";
export { PathTemplateError } from "./path-template.js";
