import type { Readable } from "node:stream";
import type { PreparedCall } from "./prepared-call.js";

/**
 * Yields the messages of a grpc-js response stream. Failures arrive as
 * RpcError; a consumer that stops early (break, return, throw) cancels the
 * call so the server stops sending.
 */
export async function* readResponses<T>(
  stream: Readable & { cancel(): void },
  call: PreparedCall,
  requestFailure?: () => unknown,
): AsyncGenerator<T, void, undefined> {
  let complete = false;
  try {
    // Ending the call is up to us (cancel below), not to the iterator.
    for await (const message of stream.iterator({ destroyOnReturn: false })) {
      yield message as T;
    }
    complete = true;
  } catch (error) {
    complete = true;
    throw call.toError(requestFailure?.() ?? error);
  } finally {
    if (!complete) {
      stream.cancel();
    }
    call.end();
  }
}
