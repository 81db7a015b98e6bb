/**
 * `@stubwright/runtime/codegenv1` as bundlers resolve it for a browser (the
 * package's `browser` condition): the same API as `codegenv1.ts`, whose
 * declarations it shares, with a `createClient` that takes only a transport
 * and never pulls grpc-js into the bundle.
 */
export type { CallOptions } from "./client/call-options.js";
export type { ClientOptions } from "./client/client-options.js";
export type { ClientSource } from "./client/create-client.js";
export { createClient } from "./client/create-browser-client.js";
export type { MaybePromise } from "./server/handler-types.js";
export type { ServerCallContext } from "./server/server-context.js";
export type { MethodDefinition } from "./method-definition.js";
export { defineService, type ServiceDefinitionOf } from "./service-from-descriptor.js";
