import type { MethodDefinition } from "../method-definition.js";
import type { ServerCallContext } from "../server/server-context.js";
import { chainInterceptors, streamOf, type ServerInterceptedCall, type ServerInterceptor } from "./interceptor.js";

type AnyHandler = (input: never, context: ServerCallContext) => unknown;

/**
 * Wraps a handler in the server's interceptors, keeping the handler's own
 * shape (a promise of a message, or an AsyncIterable for streaming methods),
 * so the code that drives handlers does not know interceptors exist.
 */
export function interceptHandler(method: MethodDefinition, handler: AnyHandler, interceptors: readonly ServerInterceptor[] | undefined): AnyHandler {
  if (interceptors === undefined || interceptors.length === 0) {
    return handler;
  }
  const chain = chainInterceptors<ServerInterceptedCall>(interceptors, async (call) => ({
    response: await handler(call.request as never, call.context),
  }));
  return (request, context) => {
    const call: ServerInterceptedCall = { method, metadata: context.metadata, values: context.values, request, context };
    return method.responseStream ? streamOf(chain(call)) : chain(call).then((result) => result.response);
  };
}
