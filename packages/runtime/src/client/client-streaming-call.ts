import type { MethodDefinition, RequestInitOf, ResponseOf } from "../method-definition.js";
import type { Transport } from "../transports/transport.js";
import type { CallOptions } from "./call-options.js";
import type { ClientOptions } from "./client-options.js";
import { prepareCall, settle, type CallStart } from "./prepared-call.js";
import { requestStreamError, writeRequests } from "./request-stream.js";

/** Makes a client-streaming call: a stream of requests, one response. */
export function callClientStreaming<M extends MethodDefinition>(
  transport: Transport,
  method: M,
  requests: AsyncIterable<RequestInitOf<M>>,
  options: CallOptions,
  defaults: ClientOptions,
  start: CallStart,
): Promise<ResponseOf<M>> {
  return new Promise((resolve, reject) => {
    const call = prepareCall(options, defaults, start);
    const stream = transport.clientStreaming(method, call.metadata, call, settle(call, resolve, reject));
    call.attach(stream);
    writeRequests(stream, requests, call).catch((error: unknown) => {
      reject(requestStreamError(error));
      stream.cancel();
    });
  });
}
