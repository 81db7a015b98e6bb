/**
 * `@stubwright/runtime/web-server`: serves a server's methods to browsers
 * and HTTP clients, gRPC-Web and the Connect protocol (and the REST routes
 * of `google.api.http`) from one Node `http` or `http2` request listener,
 * through the same dispatcher as gRPC:
 * `http.createServer(createWebHandler(server, { cors: { allowedOrigins: [...] } }))`.
 * See docs/browsers.md.
 */
export { createWebHandler, type WebHandlerOptions, type WebRequestListener } from "./create-web-handler.js";
export type { CorsOptions } from "./cors.js";
