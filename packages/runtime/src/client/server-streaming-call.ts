import type { MethodDefinition, RequestInitOf, ResponseOf } from "../method-definition.js";
import type { Transport } from "../transports/transport.js";
import type { CallOptions } from "./call-options.js";
import type { ClientOptions } from "./client-options.js";
import { prepareCall, type CallStart } from "./prepared-call.js";
import { readResponses } from "./response-stream.js";

/**
 * Makes a server-streaming call. The call starts when iteration starts, so an
 * iterable that is never consumed never reaches the network.
 */
export function callServerStreaming<M extends MethodDefinition>(
  transport: Transport,
  method: M,
  request: RequestInitOf<M>,
  options: CallOptions,
  defaults: ClientOptions,
  start: CallStart,
): AsyncGenerator<ResponseOf<M>, void, undefined> {
  return readResponses<ResponseOf<M>>(() => {
    const call = prepareCall(options, defaults, start);
    const stream = transport.serverStreaming(method, request, call.metadata, call);
    call.attach(stream);
    return { stream, call };
  });
}
