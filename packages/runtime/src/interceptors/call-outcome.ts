import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import type { InterceptedCall, InterceptedResult } from "./interceptor.js";

/** Called once when a call ends: `error` is undefined on success. */
export type OutcomeListener = (error: unknown) => void;

/**
 * Runs `listener` when the call behind `result` ends: at once for a single
 * response, and when the response stream completes, fails or is abandoned
 * (a consumer that stops early counts as CANCELLED) for a streaming one.
 * Interceptors that measure or trace calls use it to see the real end of
 * streaming calls rather than the moment the stream was handed over.
 */
export async function observeOutcome(
  call: InterceptedCall,
  result: Promise<InterceptedResult>,
  listener: OutcomeListener,
): Promise<InterceptedResult> {
  let resolved: InterceptedResult;
  try {
    resolved = await result;
  } catch (error) {
    listener(error);
    throw error;
  }
  if (!call.method.responseStream) {
    listener(undefined);
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
    listener(outcome);
  }
}

/**
 * The status code a call ended with, from the error it failed with
 * (`undefined` for success): an RpcError's code, otherwise UNKNOWN, which is
 * what both the client and the server report for unexpected errors. On a
 * server, pass the call's signal: after it aborted, its reason is the status.
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
