import type { MethodDefinition, RequestInitOf, ResponseOf } from "../method-definition.js";
import type { Transport } from "../transports/transport.js";
import type { CallOptions } from "./call-options.js";
import type { ClientOptions } from "./client-options.js";
import { prepareCall, settle, type CallStart } from "./prepared-call.js";

/** Makes a unary call: one request, one response. */
export function callUnary<M extends MethodDefinition>(
  transport: Transport,
  method: M,
  request: RequestInitOf<M>,
  options: CallOptions,
  defaults: ClientOptions,
  start: CallStart,
): Promise<ResponseOf<M>> {
  return new Promise((resolve, reject) => {
    const call = prepareCall(options, defaults, start);
    call.attach(transport.unary(method, request, call.metadata, call, settle(call, resolve, reject)));
  });
}
