import type { Client } from "@grpc/grpc-js";
import type { MethodDefinition, RequestInitOf, ResponseOf } from "../method-definition.js";
import type { CallOptions } from "./call-options.js";
import type { ClientOptions } from "./client-options.js";
import { prepareCall, settle, type CallStart } from "./prepared-call.js";

/** Makes a unary call: one request, one response. */
export function callUnary<M extends MethodDefinition>(
  client: Client,
  method: M,
  request: RequestInitOf<M>,
  options: CallOptions,
  defaults: ClientOptions,
  start: CallStart,
): Promise<ResponseOf<M>> {
  return new Promise((resolve, reject) => {
    const call = prepareCall(options, defaults, start);
    const grpcCall = client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      call.metadata,
      call.grpcOptions,
      settle(call, resolve, reject),
    );
    call.attach(grpcCall);
  });
}
