import type { Client } from "@grpc/grpc-js";
import type { MethodDefinition, RequestInitOf, ResponseOf } from "../method-definition.js";
import type { CallOptions, ClientOptions } from "./call-options.js";
import { inheritedCall, prepareCall } from "./prepared-call.js";
import { readResponses } from "./response-stream.js";

/**
 * Makes a server-streaming call. The call starts when iteration starts, so an
 * iterable that is never consumed never reaches the network.
 */
export function callServerStreaming<M extends MethodDefinition>(
  client: Client,
  method: M,
  request: RequestInitOf<M>,
  options: CallOptions,
  defaults: ClientOptions,
): AsyncGenerator<ResponseOf<M>, void, undefined> {
  // The inbound call is read now, when the call is made, not at first next().
  const inbound = inheritedCall(options);
  return readResponses<ResponseOf<M>>(() => {
    const call = prepareCall(options, defaults, inbound);
    const stream = client.makeServerStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      call.metadata,
      call.grpcOptions,
    );
    call.attach(stream);
    return { stream, call };
  });
}
