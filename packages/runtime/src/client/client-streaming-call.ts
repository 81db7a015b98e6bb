import type { Client } from "@grpc/grpc-js";
import { Code } from "../code.js";
import type { MethodDefinition, RequestInitOf, ResponseOf } from "../method-definition.js";
import { RpcError } from "../rpc-error.js";
import type { CallOptions, ClientOptions } from "./call-options.js";
import { inheritedCall, prepareCall } from "./prepared-call.js";
import { writeRequests } from "./request-stream.js";

/** Makes a client-streaming call: a stream of requests, one response. */
export function callClientStreaming<M extends MethodDefinition>(
  client: Client,
  method: M,
  requests: AsyncIterable<RequestInitOf<M>>,
  options: CallOptions,
  defaults: ClientOptions,
): Promise<ResponseOf<M>> {
  return new Promise((resolve, reject) => {
    const call = prepareCall(options, defaults, inheritedCall(options));
    const stream = client.makeClientStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      call.metadata,
      call.grpcOptions,
      (error, response) => {
        call.end();
        if (error) {
          reject(call.toError(error));
        } else {
          resolve(response as ResponseOf<M>);
        }
      },
    );
    call.attach(stream);
    writeRequests(stream, requests, call).catch((error: unknown) => {
      reject(requestStreamError(error));
      stream.cancel();
    });
  });
}

/**
 * The error a call fails with when the caller's own request iterable throws:
 * CANCELLED (the call is cancelled on the wire), with the original as cause.
 */
export function requestStreamError(error: unknown): RpcError {
  if (error instanceof RpcError) {
    return error;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new RpcError(Code.CANCELLED, `Request stream failed: ${detail}`, { cause: error });
}
