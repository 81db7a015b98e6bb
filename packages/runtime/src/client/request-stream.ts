import { Code } from "../code.js";
import type { RpcError } from "../rpc-error.js";
import type { RequestSink } from "../transports/transport.js";
import { callerError } from "./caller-error.js";
import type { PreparedCall } from "./prepared-call.js";
import { writeFlagsOf } from "./write-flags.js";

/** The part of a {@link RequestSink} that writing requests uses. */
type RequestWriter = Pick<RequestSink, "write" | "end"> & {
  on(event: "drain", listener: () => void): unknown;
  off(event: "drain", listener: () => void): unknown;
};

/**
 * Writes every request of `requests` to a transport's request sink, waiting
 * for "drain" whenever the transport asks the writer to slow down, then
 * half-closes.
 * Stops consuming as soon as the call ends (the server answered or the call
 * failed), which also closes the caller's iterator.
 */
export async function writeRequests<T>(stream: RequestWriter, requests: AsyncIterable<T>, call: PreparedCall): Promise<void> {
  for await (const request of requests) {
    if (call.stopped) {
      return;
    }
    const flags = writeFlagsOf(request);
    // grpc-js reads per-message write flags (see uncompressed()) from the "encoding" argument.
    const ready = flags === undefined ? stream.write(request) : stream.write(request, flags as never);
    if (!ready) {
      await waitForDrain(stream, call);
    }
    if (call.stopped) {
      return;
    }
  }
  // A cancelled call must not half-close: the server would take what it got for the whole stream.
  if (!call.stopped) {
    stream.end();
  }
}

function waitForDrain(stream: RequestWriter, call: PreparedCall): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      removeEndListener();
      resolve();
    };
    stream.on("drain", done);
    const removeEndListener = call.onEnd(done);
  });
}

/**
 * The error a call fails with when the caller's own request iterable throws:
 * CANCELLED (the call is cancelled on the wire), with the original as cause.
 */
export function requestStreamError(error: unknown): RpcError {
  return callerError("Request stream", error, Code.CANCELLED);
}
