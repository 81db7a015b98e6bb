import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";

/**
 * A response a handler produced that cannot be sent: it does not serialize,
 * or it is larger than the server's `grpc.max_send_message_length`. The
 * server's error hook receives it (with the original error as `cause`) and
 * the client receives `status`, which says nothing about the server's code.
 */
export class UnsendableResponseError extends Error {
  override readonly name = "UnsendableResponseError";

  constructor(
    message: string,
    /** What the client receives instead of the response. */
    readonly status: RpcError,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Turns one response message into the bytes grpc-js sends; throws an {@link UnsendableResponseError}. */
export type ResponseEncoder = (message: unknown) => Buffer;

/**
 * Creates the encoder of a method's responses for a server that hands grpc-js
 * serialized bytes. Serializing here rather than inside grpc-js puts a failure
 * in the runtime's hands, so the call's outcome, the error hook and
 * interceptors all see it. It applies grpc-js's send limit too (a message of
 * more than `maxSendMessageBytes`; -1 or undefined for none), because grpc-js
 * would otherwise end the call on its own with a status nobody here sees.
 */
export function createResponseEncoder(method: string, serialize: (message: unknown) => Buffer, maxSendMessageBytes: number | undefined): ResponseEncoder {
  const limit = typeof maxSendMessageBytes === "number" && maxSendMessageBytes !== -1 ? maxSendMessageBytes : Infinity;
  return (message) => {
    let bytes: Buffer;
    try {
      bytes = serialize(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // grpc-js's own words for this failure, without the failure's message.
      const status = new RpcError(Code.INTERNAL, "Error serializing response");
      throw new UnsendableResponseError(`cannot serialize the response of ${method}: ${reason}`, status, { cause: error });
    }
    if (bytes.length > limit) {
      const status = new RpcError(Code.RESOURCE_EXHAUSTED, `Sent message larger than max (${bytes.length} vs. ${limit})`);
      throw new UnsendableResponseError(`the response of ${method} is larger than the send limit: ${status.rawMessage}`, status);
    }
    return bytes;
  };
}
