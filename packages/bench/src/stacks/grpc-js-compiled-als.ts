import { AsyncLocalStorage } from "node:async_hooks";
import type * as grpc from "@grpc/grpc-js";
import { compiledCodec } from "./grpc-js-compiled.js";
import { createRawStack } from "./grpc-js-raw.js";

// One store entered per call, the least a server can do to make a per-call
// context (Stubwright's deadline/cancellation propagation) follow the handler
// through awaits. On Node 20 (and 22 without async context frames) entering
// any AsyncLocalStorage turns on promise and async hooks for the whole process.
const storage = new AsyncLocalStorage<{ readonly deadline: grpc.Deadline }>();

/**
 * Raw grpc-js with Stubwright's compiled codec, every handler run inside
 * `AsyncLocalStorage#run`: against "grpc-js + compiled codec" it shows what
 * the async context alone costs; against Stubwright, the rest of the runtime.
 */
export const grpcJsCompiledAls = createRawStack(
  "grpc-js + compiled codec + AsyncLocalStorage",
  compiledCodec,
  (handler) =>
    (...args) =>
      storage.run({ deadline: (args[0] as unknown as grpc.ServerUnaryCall<unknown, unknown>).getDeadline() }, handler, ...args),
);
