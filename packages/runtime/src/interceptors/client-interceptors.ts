import type { CallOptions } from "../client/call-options.js";
import { startCall, type CallStart } from "../client/prepared-call.js";
import type { MethodDefinition } from "../method-definition.js";
import { runDetached, runWithCall, type PropagatedCall } from "../propagation.js";
import { createContextValues } from "./context-values.js";
import { chainInterceptors, streamOf, type ClientInterceptedCall, type ClientInterceptor, type InterceptedResult } from "./interceptor.js";

/** A client stub method. */
type StubMethod = (request: unknown, options?: CallOptions) => unknown;
/** Makes a call whose start is already fixed (see {@link startCall}). */
type Invoke = (request: unknown, options: CallOptions, start: CallStart) => unknown;

/**
 * The stub method for `method`, wrapped in the client's interceptors. Either
 * way the call starts (its metadata validated, the inbound call it inherits
 * from read) when the stub method is called, before any interceptor runs.
 * The wrapped method keeps its shape: a promise for unary and
 * client-streaming methods, a lazy AsyncIterable (nothing happens until
 * iteration starts) for the others.
 */
export function interceptStubMethod(method: MethodDefinition, invoke: Invoke, interceptors: readonly ClientInterceptor[] | undefined): StubMethod {
  const direct: StubMethod = (request, options = {}) => invoke(request, options, startCall(options));
  if (interceptors === undefined || interceptors.length === 0) {
    return direct;
  }
  const chain = chainInterceptors<ClientInterceptedCall>(interceptors, async (call) => {
    const response = direct(call.request, { ...call.options, metadata: call.metadata });
    return { response: method.responseStream ? response : await response };
  });
  return (request, options = {}) => {
    const start = startCall(options);
    if (start.failure !== undefined) {
      // Fails as the call would without interceptors: a rejection, or at the first next().
      return invoke(request, options, start);
    }
    // The chain, and so the call at its end, runs within the inbound call of
    // the moment the stub method was called, even when a stream is iterated
    // elsewhere (for instance outside runDetached).
    const run = () => withinInbound(start.inbound, () => chain({ method, metadata: start.metadata, values: createContextValues(), request, options }));
    return method.responseStream ? lazyStream(run) : run().then((result) => result.response);
  };
}

/** Runs `fn` with `inbound` as the inbound call outbound calls inherit from (none for `undefined`). */
function withinInbound<T>(inbound: PropagatedCall | undefined, fn: () => T): T {
  return inbound === undefined ? runDetached(fn) : runWithCall(inbound, fn);
}

/** Starts the chain only when the consumer starts iterating. */
async function* lazyStream(start: () => Promise<InterceptedResult>): AsyncGenerator<unknown, void, undefined> {
  yield* streamOf(start());
}
