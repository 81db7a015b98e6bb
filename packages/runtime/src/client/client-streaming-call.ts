import type { Client } from "@grpc/grpc-js";
import type { MethodDefinition, RequestInitOf, ResponseOf } from "../method-definition.js";
import type { CallOptions } from "./call-options.js";
import type { ClientOptions } from "./client-options.js";
import { prepareCall, settle, type CallStart } from "./prepared-call.js";
import { requestStreamError, writeRequests } from "./request-stream.js";

/** Makes a client-streaming call: a stream of requests, one response. */
export function callClientStreaming<M extends MethodDefinition>(
  client: Client,
  method: M,
  requests: AsyncIterable<RequestInitOf<M>>,
  options: CallOptions,
  defaults: ClientOptions,
  start: CallStart,
): Promise<ResponseOf<M>> {
  return new Promise((resolve, reject) => {
    const call = prepareCall(options, defaults, start);
    const stream = client.makeClientStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      call.metadata,
      call.grpcOptions,
      settle(call, resolve, reject),
    );
    call.attach(stream);
    writeRequests(stream, requests, call).catch((error: unknown) => {
      reject(requestStreamError(error));
      stream.cancel();
    });
  });
}
