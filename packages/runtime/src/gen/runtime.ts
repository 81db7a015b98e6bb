// The runtime API that the stubs generated into src/gen/ import. They cannot
// import "@stubwright/runtime" itself: its index exports the health and
// reflection services built on them, and that import cycle would evaluate the
// stubs before the helpers they call exist. buf.gen.yaml points them here.
export type { CallOptions, ClientOptions } from "../client/call-options.js";
export { createClient, type ClientSource } from "../client/create-client.js";
export type { MaybePromise } from "../server/handler-types.js";
export type { ServerCallContext } from "../server/server-context.js";
export {
  bidiStreamingMethod,
  clientStreamingMethod,
  serverStreamingMethod,
  unaryMethod,
  type BidiStreamingMethodDefinition,
  type ClientStreamingMethodDefinition,
  type ServerStreamingMethodDefinition,
  type UnaryMethodDefinition,
} from "../method-definition.js";
