import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What an outbound call inherits from the inbound call it is made within:
 * the absolute deadline (epoch ms, `Infinity` for none) and the signal that
 * aborts when the inbound call ends early.
 */
export interface PropagatedCall {
  /** The inbound method path, e.g. `/pkg.Service/Method`. */
  readonly method: string;
  /** The inbound deadline in epoch milliseconds; `Infinity` for none. */
  readonly deadline: number;
  /** Aborts on client cancellation, deadline expiry or forced shutdown. */
  readonly signal: AbortSignal;
}

/**
 * One store for the whole process: the server enters it around every handler,
 * clients read it when a call starts. AsyncLocalStorage follows awaits, timers,
 * promise chains and async generators without any threading by the user.
 */
const storage = new AsyncLocalStorage<PropagatedCall | undefined>();

/** The inbound call the current code runs on behalf of, if any. */
export function currentCall(): PropagatedCall | undefined {
  return storage.getStore();
}

/**
 * Runs `fn(...args)` with `call` as the inbound call that outbound calls
 * inherit from. Passing the arguments through spares callers a closure.
 */
export function runWithCall<A extends unknown[], T>(call: PropagatedCall, fn: (...args: A) => T, ...args: A): T {
  return storage.run(call, fn, ...args);
}

/**
 * Runs `fn` detached from the current inbound call: clients called inside it
 * inherit neither its deadline nor its cancellation (for example a
 * fire-and-forget audit write that must outlive the request).
 */
export function runDetached<T>(fn: () => T): T {
  return storage.run(undefined, fn);
}
