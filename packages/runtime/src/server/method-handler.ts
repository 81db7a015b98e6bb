import type { Writable } from "node:stream";
import { Code } from "../code.js";
import type { MethodDefinition } from "../method-definition.js";
import { runWithCall, type AbortFollower } from "../propagation.js";
import { toServerStatus, type ErrorPolicy } from "./error-status.js";
import { createContextController, type ContextController, type EndCall, type ServerCallContext } from "./server-context.js";
import { readRequests } from "./request-reader.js";
import { createResponseEncoder, type ResponseEncoder } from "./response-encoder.js";
import { createResponseWriter } from "./response-writer.js";
import type { RequestStreamCall, ResponseStreamCall, SendSingleResponse, ServerCall, SingleRequestCall } from "./server-call.js";

type AnyHandler = (input: never, context: ServerCallContext) => unknown;

/** Tracks the calls in flight, so a shutdown can end those still running (`ContextController.terminate`). */
export interface CallTracker {
  add(controller: ContextController): void;
  delete(controller: ContextController): void;
}

/** How a server runs its handlers: the same for every method it serves. */
export interface HandlerSettings {
  readonly policy: ErrorPolicy;
  readonly tracker: CallTracker;
  /**
   * Responses are handed to grpc-js serialized; the server then registers a
   * definition that passes the bytes through (see `createResponseEncoder`).
   */
  readonly preSerialized: boolean;
  /** The server's `grpc.max_send_message_length`, which serialized responses are held to. */
  readonly maxSendMessageBytes?: number | undefined;
  /** Handlers run as the inbound call that outbound calls inherit from (`ServerOptions.propagate`). */
  readonly propagate: boolean;
}

/**
 * Serves one call of a method: the server dispatcher's entry, fed by every
 * transport. `call` is the {@link ServerCall} of the method's kind (a
 * {@link SingleRequestCall} or a {@link RequestStreamCall}, which for
 * streaming responses is also a {@link ResponseStreamCall}); `send` ends a
 * call answered by one message. The signature is that of a grpc-js handler,
 * so grpc-js calls it directly, with its own calls.
 */
export type MethodDispatcher = (call: never, send: SendSingleResponse) => void;

/**
 * Creates the dispatcher of one method: it runs a Stubwright handler (async
 * function or async generator) for every kind of call. Every path ends the
 * call with a status: a returned value, a completed stream, or any thrown
 * error mapped by the error policy.
 */
export function createMethodDispatcher(method: MethodDefinition, handler: AnyHandler, settings: HandlerSettings): MethodDispatcher {
  const encode = settings.preSerialized
    ? createResponseEncoder(method.path, method.responseSerialize as (message: unknown) => Buffer, settings.maxSendMessageBytes)
    : undefined;
  switch (method.kind) {
    case "unary":
      return (call: SingleRequestCall, send: SendSingleResponse) => serveSingle(call, method, () => call.request, handler, settings, encode, send);
    case "client_streaming":
      return (call: RequestStreamCall, send: SendSingleResponse) =>
        serveSingle(call, method, (controller) => readRequests(call, controller.propagated), handler, settings, encode, send);
    case "server_streaming":
      return (call: SingleRequestCall & ResponseStreamCall) => serveStream(call, method, () => call.request, handler, settings, encode);
    case "bidi_streaming":
      return (call: RequestStreamCall & ResponseStreamCall) =>
        serveStream(call, method, (controller) => readRequests(call, controller.propagated), handler, settings, encode);
  }
}

/** Runs a handler that answers with one message (unary, client streaming). */
function serveSingle(
  call: ServerCall,
  method: MethodDefinition,
  input: (controller: ContextController) => unknown,
  handler: AnyHandler,
  settings: HandlerSettings,
  encode: ResponseEncoder | undefined,
  callback: SendSingleResponse,
): void {
  const { policy, tracker } = settings;
  // Set once the call has its status: from the handler, or from a shutdown
  // that ended it first (the handler's outcome is then dropped).
  let ended = false;
  let code: Code = Code.UNKNOWN;
  const endWith = (error: unknown): void => {
    if (ended) {
      return;
    }
    ended = true;
    // Headers the handler set before failing still reach the client.
    controller.flushHeader();
    const status = toServerStatus(error, context.trailer, context.signal, method, policy);
    code = status.code as number;
    callback(status);
  };
  const controller = enter(call, method, tracker, endWith);
  const { context } = controller;
  const fail = (error: unknown): void => {
    try {
      endWith(error);
    } finally {
      leave(controller, settings, code, error);
    }
  };
  const succeed = (response: unknown): void => {
    if (ended) {
      leave(controller, settings, code, undefined);
      return;
    }
    try {
      if (response === undefined || response === null) {
        throw new TypeError(`handler for ${method.path} returned no response message`);
      }
      // Serialized here, so that a message that does not serialize fails in
      // our hands rather than inside the transport, where nobody would see it.
      const message = encode === undefined ? response : encode(response);
      controller.flushHeader();
      callback(null, message, controller.usedTrailer);
      ended = true;
    } catch (error) {
      fail(error);
      return;
    }
    leave(controller, settings, Code.OK, undefined);
  };
  // No async wrapper and a single then(): every promise costs extra while
  // AsyncLocalStorage's promise hooks are on (Node 20), and a handler that
  // answers synchronously needs none at all.
  let result: unknown;
  try {
    result = runAsInbound(settings, controller, callHandler, handler, input, controller);
  } catch (error) {
    fail(error);
    return;
  }
  if (isThenable(result)) {
    // Promise.resolve adopts foreign thenables once, as `await` would.
    (result instanceof Promise ? result : Promise.resolve(result)).then(succeed, fail);
  } else {
    succeed(result);
  }
}

/** Calls a handler with its input; run within the inbound call's context. */
function callHandler(handler: AnyHandler, input: (controller: ContextController) => unknown, controller: ContextController): unknown {
  return handler(input(controller) as never, controller.context);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Runs a handler that answers with a stream (server and bidi streaming). */
function serveStream(
  call: ResponseStreamCall,
  method: MethodDefinition,
  input: (controller: ContextController) => unknown,
  handler: AnyHandler,
  settings: HandlerSettings,
  encode: ResponseEncoder | undefined,
): void {
  const { policy, tracker } = settings;
  // As in serveSingle: the first of the handler and a shutdown ends the call.
  let ended = false;
  let code: Code = Code.UNKNOWN;
  let failure: unknown;
  const endWith = (error: unknown): void => {
    if (ended) {
      return;
    }
    ended = true;
    failure = error;
    controller.flushHeader();
    const status = toServerStatus(error, context.trailer, context.signal, method, policy);
    call.emit("error", status);
    code = status.code as number;
  };
  const controller = enter(call, method, tracker, endWith);
  const { context } = controller;
  // One async function for the whole call rather than a promise chain: a
  // held stream keeps every pending promise and closure of its chain alive.
  const respond = async (): Promise<void> => {
    try {
      await writeResponses(call, handler(input(controller) as never, context), controller, encode);
      if (!ended) {
        controller.flushHeader();
        call.end(controller.usedTrailer);
        ended = true;
        code = Code.OK;
      }
    } catch (error) {
      endWith(error);
    } finally {
      whenSent(call, controller, () => leave(controller, settings, code, failure));
    }
  };
  void runAsInbound(settings, controller, respond);
}

/**
 * Runs `done` once a response stream's status is on its way: at once if every
 * message was written, otherwise when the last one is (the stream finishes)
 * or the call ends early, whichever comes first. Only calls someone observes
 * wait: the status they hear is then the one the client received, also when
 * the deadline passes or the client cancels while messages are still queued.
 */
function whenSent(call: Writable, controller: ContextController, done: () => void): void {
  if (!controller.observed || call.writableLength === 0 || controller.propagated.abortReason !== undefined) {
    done();
    return;
  }
  const inbound = controller.propagated;
  const settle = (): void => {
    call.off("finish", settle);
    inbound.unfollow(follower);
    done();
  };
  const follower: AbortFollower = { inboundAborted: settle };
  call.once("finish", settle);
  inbound.follow(follower);
}

function enter(call: ServerCall, method: MethodDefinition, tracker: CallTracker, end: EndCall): ContextController {
  const controller = createContextController(call, method, end);
  tracker.add(controller);
  return controller;
}

/** Ends the call's context with the status the client received (see `ContextController.end`). */
function leave(controller: ContextController, settings: HandlerSettings, code: Code, error: unknown): void {
  controller.end(code, error, settings.policy);
  settings.tracker.delete(controller);
}

/**
 * Runs `fn(...args)` as the inbound call that outbound calls inherit from,
 * or plainly when the server does not propagate (`ServerOptions.propagate`).
 */
function runAsInbound<A extends unknown[], T>(settings: HandlerSettings, controller: ContextController, fn: (...args: A) => T, ...args: A): T {
  return settings.propagate ? runWithCall(controller.propagated, fn, ...args) : fn(...args);
}

/**
 * Writes a handler's response stream, honouring backpressure. Stops (and so
 * closes the handler's generator, running its `finally`) when the call ends.
 * Messages the writer read ahead go out before the status, also when the
 * handler fails after yielding them, as they would have without read-ahead.
 */
async function writeResponses(call: Writable, responses: unknown, controller: ContextController, encode: ResponseEncoder | undefined): Promise<void> {
  if (!isAsyncIterable(responses)) {
    throw new TypeError("a streaming handler must return an AsyncIterable, e.g. be an async generator");
  }
  // The inbound call's own view, not `context.signal`: reading the signal
  // would create an AbortController for every streaming call.
  const inbound = controller.propagated;
  const writer = createResponseWriter(call, inbound, encode);
  try {
    for await (const response of responses) {
      if (inbound.abortReason !== undefined) {
        throw inbound.abortReason;
      }
      controller.flushHeader();
      if (!writer.write(response)) {
        await writer.ready();
        if (inbound.abortReason !== undefined) {
          throw inbound.abortReason;
        }
      }
    }
  } finally {
    writer.end();
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}
