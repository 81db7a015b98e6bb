import type { Metadata } from "../metadata.js";
import type { CallOptions } from "../client/call-options.js";
import type { MethodInfo } from "../method-info.js";
import type { ServerCallContext } from "../server/server-context.js";
import type { ContextValues } from "./context-values.js";

/**
 * One call as interceptors see it, on either side. The same shape serves all
 * four call kinds: `request` is a message for unary and server-streaming
 * methods and an `AsyncIterable` of messages for client and bidi streaming
 * (see `method.requestStream`). Interceptors pass a changed call on with a
 * spread, e.g. `next({ ...call, request: wrap(call.request) })`.
 */
export interface InterceptedCall {
  /** The method called: path, service and method names, kind, schemas (as `context.method`). */
  readonly method: MethodInfo;
  /** Request headers; interceptors may read and add entries. */
  readonly metadata: Metadata;
  /** Typed values shared by the interceptors and (server side) the handler. */
  readonly values: ContextValues;
  /** A message, or an AsyncIterable of messages when `method.requestStream`. */
  readonly request: unknown;
}

/** An inbound call on a server. `values` is `context.values`. */
export interface ServerInterceptedCall extends InterceptedCall {
  /** The handler's context: deadline, signal, response header and trailer. */
  readonly context: ServerCallContext;
}

/** An outbound call from a client. */
export interface ClientInterceptedCall extends InterceptedCall {
  /** The call options; `metadata` here is superseded by the call's `metadata`. */
  readonly options: CallOptions;
}

/**
 * The outcome of a call: a message, or an AsyncIterable of messages when
 * `method.responseStream`. A failed call rejects (with an RpcError to choose
 * the status) instead of resolving.
 */
export interface InterceptedResult {
  readonly response: unknown;
}

/** Continues a call through the rest of the chain. */
export type Next<C extends InterceptedCall> = (call: C) => Promise<InterceptedResult>;

/**
 * The one interceptor shape: gets the next step and returns a step that
 * wraps it. Throw (or reject with) an RpcError to short-circuit the call.
 */
export type Interceptor<C extends InterceptedCall> = (next: Next<C>) => Next<C>;

/** An interceptor for servers (`createServer({ use: [...] })`). */
export type ServerInterceptor = Interceptor<ServerInterceptedCall>;

/** An interceptor for clients (`createFooClient(address, { use: [...] })`). */
export type ClientInterceptor = Interceptor<ClientInterceptedCall>;

/** An interceptor that works on both sides, such as the logging one. */
export type UniversalInterceptor = <C extends InterceptedCall>(next: Next<C>) => Next<C>;

/**
 * Chains interceptors around `last`: the first interceptor is the outermost,
 * so it sees the call first and the outcome last.
 */
export function chainInterceptors<C extends InterceptedCall>(interceptors: readonly Interceptor<C>[], last: Next<C>): Next<C> {
  let next = last;
  for (let index = interceptors.length - 1; index >= 0; index--) {
    next = (interceptors[index] as Interceptor<C>)(next);
  }
  return next;
}

/** Yields the messages of a streaming result once the chain resolved it. */
export async function* streamOf(result: Promise<InterceptedResult>): AsyncGenerator<unknown, void, undefined> {
  const { response } = await result;
  if (!isAsyncIterable(response)) {
    throw new TypeError("a streaming call must produce an AsyncIterable, e.g. an async generator");
  }
  yield* response;
}

/** True for objects usable with `for await`. */
function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}
