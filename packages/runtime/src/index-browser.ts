/**
 * `@stubwright/runtime` as bundlers resolve it for a browser (the package's
 * `browser` condition): the values of `index.ts` that run without Node, with
 * `index.ts`'s declarations. `createClient` takes a transport of
 * `@stubwright/runtime/web`; `createServer` is Node's only, so a browser
 * bundle that imports it fails to build instead of failing at run time.
 */
export { Code } from "./code.js";
export { RpcError } from "./rpc-error.js";
export { createMetadata, mergeMetadata } from "./metadata.js";
export { runDetached } from "./propagation.js";
export { closeClient } from "./client/client-stub.js";
export { createClient } from "./client/create-browser-client.js";
