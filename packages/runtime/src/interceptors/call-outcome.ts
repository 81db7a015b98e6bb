import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import { whenCallEnds } from "../server/server-context.js";
import type { InterceptedCall, InterceptedResult, ServerInterceptedCall } from "./interceptor.js";

/**
 * Called once when a call ends, with what it failed with (`undefined` on
 * success) and the status code it ended with.
 */
export type OutcomeListener = (error: unknown, code: Code) => void;

/**
 * Runs `listener` when the call behind `result` ends, and returns `result`
 * for the interceptor to pass on. Interceptors that measure or trace calls
 * use it to see the real end of a call rather than the moment its response
 * (or response stream) was handed over.
 *
 * On a server, the outcome is the status the client received, reported once
 * it is sent: that of the handler's answer, or CANCELLED or
 * DEADLINE_EXCEEDED when the call ended early even if the handler answered,
 * or INTERNAL when the response could not be serialized; a listener that
 * throws there goes to the server's `onError`. On a client (and for a
 * context the server did not create, as in a unit test), it is the outcome
 * of `result`: at once for a single response, and when the response stream
 * completes, fails or is abandoned (a consumer that stops early counts as
 * CANCELLED) for a streaming one.
 */
export function observeOutcome(call: InterceptedCall, result: Promise<InterceptedResult>, listener: OutcomeListener): Promise<InterceptedResult> {
  if ("context" in call && whenCallEnds((call as ServerInterceptedCall).context, listener)) {
    return result;
  }
  return observeResult(call, result, listener);
}

async function observeResult(call: InterceptedCall, result: Promise<InterceptedResult>, listener: OutcomeListener): Promise<InterceptedResult> {
  let resolved: InterceptedResult;
  try {
    resolved = await result;
  } catch (error) {
    listener(error, codeOf(error));
    throw error;
  }
  if (!call.method.responseStream) {
    listener(undefined, Code.OK);
    return resolved;
  }
  return { ...resolved, response: watchStream(resolved.response as AsyncIterable<unknown>, listener) };
}

async function* watchStream(source: AsyncIterable<unknown>, listener: OutcomeListener): AsyncGenerator<unknown, void, undefined> {
  let outcome: unknown = new RpcError(Code.CANCELLED, "Stream abandoned before it ended");
  try {
    yield* source;
    outcome = undefined;
  } catch (error) {
    outcome = error;
    throw error;
  } finally {
    listener(outcome, codeOf(outcome));
  }
}

/**
 * The status code a call ended with, from the error it failed with
 * (`undefined` for success): an RpcError's code, otherwise UNKNOWN, which is
 * what both the client and the server report for unexpected errors. With a
 * server call's signal: after it aborted, its reason is the status. (An
 * {@link OutcomeListener} gets the code the call really ended with.)
 */
export function codeOf(error: unknown, signal?: AbortSignal): Code {
  if (error === undefined) {
    return Code.OK;
  }
  if (error instanceof RpcError) {
    return error.code;
  }
  const reason: unknown = signal?.aborted === true ? signal.reason : undefined;
  return reason instanceof RpcError ? reason.code : Code.UNKNOWN;
}
