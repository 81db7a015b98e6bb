import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { RpcError, type CallOptions } from "@stubwright/runtime";
import type { EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { EchoRequestSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Kind } from "../support/call-kinds.js";

/** One call to the echo server child, as planned before it runs (so a seed reproduces the plan). */
export interface EchoCallPlan {
  readonly id: string;
  readonly kind: Kind;
  /**
   * Whether the handler waits to be cancelled (or to pass its deadline)
   * instead of answering: the only request, or the last of a half-closed
   * stream, says "hold"; a held server stream sends responses until then.
   */
  readonly hold: boolean;
  /** Requests of a client-streaming or bidi call. */
  readonly requests: number;
  /** Whether such a request stream ends after its requests (half-closes) or stays open until the call ends. */
  readonly halfClose: boolean;
  /** Milliseconds between requests (0: one turn of the event loop). */
  readonly gapMs: number;
  /** Server streaming: the responses asked for, when not holding. */
  readonly repeat: number;
  readonly timeoutMs?: number | undefined;
}

/** The responses a call that is not held answers with, in order. */
export function expectedResponses(plan: EchoCallPlan): { message: string; index: number }[] {
  const messages = Array.from({ length: plan.requests }, (_, index) => `${plan.id}:${index}`);
  switch (plan.kind) {
    case "unary":
      return [{ message: plan.id, index: 0 }];
    case "server_streaming":
      return Array.from({ length: plan.repeat }, (_, index) => ({ message: plan.id, index }));
    case "client_streaming":
      return [{ message: messages.join(","), index: messages.length }];
    case "bidi_streaming":
      return messages.map((message, index) => ({ message, index }));
  }
}

/** Points where a caller can act while a call runs. */
export interface EchoCallHooks {
  /** Called before request `index` is handed to the runtime (`index === requests`: the open stream's end). */
  readonly beforeRequest?: ((index: number) => void) | undefined;
  /** Called after each response, with the number received so far. */
  readonly onResponse?: ((count: number) => void) | undefined;
  /** Called when a half-closing request stream has ended. */
  readonly onHalfClose?: (() => void) | undefined;
}

/** What the client knows about a call in progress; read it at any time. */
export interface EchoCallState {
  /** Whether the request stream ended (all requests given, then done): the client half-closed. */
  halfClosed: boolean;
}

/** How a call ended on the client. */
export interface EchoCallResult {
  /** The status code: 0 for OK, the RpcError's code, or -1 for a failure that was no RpcError. */
  readonly code: number;
  readonly message: string;
  readonly responses: readonly { readonly message: string; readonly index: number }[];
}

/** A running call: its live state and its result. */
export interface EchoCall {
  readonly state: EchoCallState;
  readonly result: Promise<EchoCallResult>;
}

/** Starts `plan` on `client`, with the call id in `x-call-id`; `signal` cancels it. */
export function startEchoCall(client: EchoServiceClient, plan: EchoCallPlan, signal: AbortSignal | undefined, hooks: EchoCallHooks = {}): EchoCall {
  const state: EchoCallState = { halfClosed: false };
  const options: CallOptions = { metadata: { "x-call-id": plan.id }, signal, timeoutMs: plan.timeoutMs };
  const responses: { message: string; index: number }[] = [];
  const received = (response: { message: string; index: number }): void => {
    responses.push({ message: response.message, index: response.index });
    hooks.onResponse?.(responses.length);
  };
  let settled = false;
  let ended: () => void = () => {};
  const callEnded = new Promise<void>((resolve) => (ended = resolve));
  const requests = requestStream(plan, state, hooks, () => settled, callEnded);
  const single = plan.hold ? { message: "hold", repeat: 0, delayMs: 1 } : { message: plan.id, repeat: plan.repeat };
  const run = async (): Promise<void> => {
    switch (plan.kind) {
      case "unary":
        received(await client.echo(single, options));
        return;
      case "server_streaming":
        for await (const response of client.expand(single, options)) received(response);
        return;
      case "client_streaming":
        received(await client.collect(requests, options));
        return;
      case "bidi_streaming":
        for await (const response of client.chat(requests, options)) received(response);
        return;
    }
  };
  const result = run().then(
    (): EchoCallResult => ({ code: 0, message: "", responses }),
    (error: unknown): EchoCallResult =>
      error instanceof RpcError
        ? { code: error.code, message: error.rawMessage, responses }
        : { code: -1, message: `not an RpcError: ${String(error)}`, responses },
  );
  void result.then(() => {
    settled = true;
    ended();
  });
  return { state, result };
}

/** The request stream of a client-streaming or bidi call, recording what the runtime took. */
async function* requestStream(
  plan: EchoCallPlan,
  state: EchoCallState,
  hooks: EchoCallHooks,
  isSettled: () => boolean,
  callEnded: Promise<void>,
): AsyncGenerator<MessageInitShape<typeof EchoRequestSchema>> {
  for (let index = 0; index < plan.requests; index++) {
    if (index > 0) await (plan.gapMs === 0 ? nextTurn() : sleep(plan.gapMs));
    hooks.beforeRequest?.(index);
    if (isSettled()) return;
    const last = index === plan.requests - 1;
    yield { message: plan.hold && plan.halfClose && last ? "hold" : `${plan.id}:${index}` };
  }
  if (plan.halfClose) {
    state.halfClosed = true;
    hooks.onHalfClose?.();
    return;
  }
  hooks.beforeRequest?.(plan.requests);
  // An open stream: never half-close; end the generator only once the call is over.
  await callEnded;
}
