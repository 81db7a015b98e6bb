import type { CallOptions } from "../client/call-options.js";
import type { MethodDefinition } from "../method-definition.js";
import { createMetadata } from "../metadata.js";
import { createContextValues } from "./context-values.js";
import {
  chainInterceptors,
  streamOf,
  type ClientInterceptedCall,
  type ClientInterceptor,
  type InterceptedResult,
} from "./interceptor.js";

type StubMethod = (request: unknown, options?: CallOptions) => unknown;

/**
 * Wraps a client stub method in the client's interceptors. The wrapped method
 * keeps its shape: a promise for unary and client-streaming methods, a lazy
 * AsyncIterable (nothing happens until iteration starts) for the others.
 */
export function interceptStubMethod(
  method: MethodDefinition,
  invoke: StubMethod,
  interceptors: readonly ClientInterceptor[] | undefined,
): StubMethod {
  if (interceptors === undefined || interceptors.length === 0) {
    return invoke;
  }
  const chain = chainInterceptors<ClientInterceptedCall>(interceptors, async (call) => {
    const response = invoke(call.request, { ...call.options, metadata: call.metadata });
    return { response: method.responseStream ? response : await response };
  });
  return (request, options = {}) => {
    const start = () =>
      chain({ method, metadata: createMetadata(options.metadata), values: createContextValues(), request, options });
    return method.responseStream ? lazyStream(start) : start().then((result) => result.response);
  };
}

/** Starts the chain only when the consumer starts iterating. */
async function* lazyStream(start: () => Promise<InterceptedResult>): AsyncGenerator<unknown, void, undefined> {
  yield* streamOf(start());
}
