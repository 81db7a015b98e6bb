import type { AsyncLocalStorage } from "node:async_hooks";
import type { MethodInfo } from "./method-info.js";
import type { RpcError } from "./rpc-error.js";

/**
 * What an outbound call inherits from the inbound call it is made within:
 * the absolute deadline (epoch ms, `Infinity` for none) and the signal that
 * aborts when the inbound call ends early.
 */
export interface PropagatedCall {
  /** The inbound call's method. */
  readonly method: MethodInfo;
  /** The inbound deadline in epoch milliseconds; `Infinity` for none. */
  readonly deadline: number;
  /** Aborts on client cancellation, deadline expiry or forced shutdown. */
  readonly signal: AbortSignal;
  /**
   * Why the inbound call ended early (CANCELLED, DEADLINE_EXCEEDED or
   * UNAVAILABLE); `undefined` while it runs. Unlike `signal.reason`, reading
   * it creates no AbortController.
   */
  readonly abortReason: RpcError | undefined;
  /**
   * Has `follower` told (once) if the inbound call ends early, until
   * {@link PropagatedCall.unfollow}. Outbound calls follow the inbound call
   * this way rather than through `signal`: a Set entry costs a fraction of an
   * AbortController plus an event listener per call.
   */
  follow(follower: AbortFollower): void;
  /** Stops telling `follower`; does nothing if it was not following. */
  unfollow(follower: AbortFollower): void;
}

/** Something that must end when an inbound call ends early. */
export interface AbortFollower {
  /** Called once, with the reason the inbound call ended early. */
  inboundAborted(reason: RpcError): void;
}

/**
 * One store for the whole process: the server enters it around every handler,
 * clients read it when a call starts. AsyncLocalStorage follows awaits, timers,
 * promise chains and async generators without any threading by the user.
 * Where there is no Node (a browser) there is no store, and no inbound call:
 * the module is looked up at run time so this file bundles for any platform.
 */
const storage = createStorage();

function createStorage(): AsyncLocalStorage<PropagatedCall | undefined> | undefined {
  const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = nodeProcess?.getBuiltinModule?.("node:async_hooks") as typeof import("node:async_hooks") | undefined;
  return hooks === undefined ? undefined : new hooks.AsyncLocalStorage<PropagatedCall | undefined>();
}

/** The inbound call the current code runs on behalf of, if any. */
export function currentCall(): PropagatedCall | undefined {
  return storage?.getStore();
}

/**
 * Runs `fn(...args)` with `call` as the inbound call that outbound calls
 * inherit from. Passing the arguments through spares callers a closure.
 */
export function runWithCall<A extends unknown[], T>(call: PropagatedCall, fn: (...args: A) => T, ...args: A): T {
  return storage === undefined ? fn(...args) : storage.run(call, fn, ...args);
}

/**
 * Runs `fn` detached from the current inbound call: clients called inside it
 * inherit neither its deadline nor its cancellation (for example a
 * fire-and-forget audit write that must outlive the request).
 */
export function runDetached<T>(fn: () => T): T {
  return storage === undefined ? fn() : storage.run(undefined, fn);
}
