import type { MethodDefinition, RequestInitOf, ResponseOf } from "../method-definition.js";
import type { Transport } from "../transports/transport.js";
import type { CallOptions } from "./call-options.js";
import type { ClientOptions } from "./client-options.js";
import { prepareCall, type CallStart } from "./prepared-call.js";
import { requestStreamError, writeRequests } from "./request-stream.js";
import { readResponses } from "./response-stream.js";

/**
 * Makes a bidirectional-streaming call: requests are written in the
 * background while responses are yielded. The call starts when iteration
 * starts.
 */
export function callBidiStreaming<M extends MethodDefinition>(
  transport: Transport,
  method: M,
  requests: AsyncIterable<RequestInitOf<M>>,
  options: CallOptions,
  defaults: ClientOptions,
  start: CallStart,
): AsyncGenerator<ResponseOf<M>, void, undefined> {
  return readResponses<ResponseOf<M>>(() => {
    const call = prepareCall(options, defaults, start);
    const stream = transport.bidiStreaming(method, call.metadata, call);
    call.attach(stream);
    let failure: unknown;
    writeRequests(stream, requests, call).catch((error: unknown) => {
      failure = requestStreamError(error);
      stream.cancel();
    });
    return { stream, call, requestFailure: () => failure };
  });
}
