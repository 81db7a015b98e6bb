import type { Registry } from "@bufbuild/protobuf";
import { Code } from "../code.js";
import { resolveDeadline } from "../deadline/deadline.js";
import { createMetadata, type Metadata } from "../metadata.js";
import { currentCall, type AbortFollower, type PropagatedCall } from "../propagation.js";
import { RpcError } from "../rpc-error.js";
import { isServiceError, rpcErrorFromServiceError } from "../status/status.js";
import type { CallStatusError, TransportCall, TransportCallOptions } from "../transports/transport.js";
import type { CallOptions } from "./call-options.js";
import type { ClientOptions } from "./client-options.js";
import { callerError } from "./caller-error.js";
import { followSignal, unfollowSignal, type SignalFollower } from "./signal-followers.js";

/**
 * The life of one outbound call: its resolved deadline and metadata, the
 * abort sources it listens to, and the hooks that run when it ends. Every
 * listener it adds is removed in {@link PreparedCall.end}. It is also what
 * the transport gets as the call's {@link TransportCallOptions}, so handing
 * a call over allocates nothing more.
 */
export interface PreparedCall extends TransportCallOptions {
  readonly metadata: Metadata;
  /** Response headers once received (empty before). */
  readonly headers: Metadata;
  /** True once the call has ended, successfully or not. */
  readonly ended: boolean;
  /** True once the call has ended or is being cancelled: nothing more may be sent, not even a half-close. */
  readonly stopped: boolean;
  /**
   * What the call fails with because an `onHeader` or `onTrailer` callback
   * threw, even if the server's answer was a success.
   */
  readonly failure: RpcError | undefined;
  /** Wires header/trailer callbacks and cancellation to a call the transport started. */
  attach(call: TransportCall): void;
  /** Registers a listener for the end of the call; returns its remover. */
  onEnd(listener: () => void): () => void;
  /** Marks the call as ended and removes every listener it added. */
  end(): void;
  /**
   * Runs `settle` (the end of a call answered by one message) once the
   * trailers have been handed to `onTrailer`, so that a callback which
   * throws fails the call.
   */
  afterTrailers(settle: () => void): void;
  /** Converts whatever a call failed with into an RpcError. */
  toError(error: unknown): RpcError;
}

/**
 * What a call fixes when its stub method is called, before any interceptor
 * runs and whether or not the call starts now (streams start when iterated):
 * the inbound call it inherits from, and its validated request metadata; or
 * the error it fails with.
 */
export type CallStart =
  | { readonly inbound: PropagatedCall | undefined; readonly metadata: Metadata; readonly failure?: undefined }
  | { readonly failure: RpcError };

/**
 * Starts a call made with `options`. The inbound call is the current one,
 * unless the call opts out with `propagate: false`; it is read now, so an
 * iterable created in {@link runDetached} stays detached wherever it is
 * consumed. Metadata grpc-js refuses (an illegal key or value) fails the call
 * with INTERNAL, as grpc-js fails a request it cannot serialize: the call
 * never reaches the network.
 */
export function startCall(options: CallOptions): CallStart {
  let metadata: Metadata;
  try {
    metadata = createMetadata(options.metadata);
  } catch (error) {
    return { failure: callerError("Invalid request metadata", error, Code.INTERNAL) };
  }
  return { inbound: options.propagate === false ? undefined : currentCall(), metadata };
}

/**
 * Resolves call options against client defaults and the inbound call (for
 * propagation): the deadline is the earliest of the call's own (or the
 * client's `defaultTimeoutMs`) and the inbound one, and the call is cancelled
 * with the inbound call. Throws an RpcError when the call must fail before it
 * starts: the failure of its {@link CallStart}, an aborted signal (CANCELLED,
 * or DEADLINE_EXCEEDED when the inbound call ran out of time) or a deadline
 * already spent (DEADLINE_EXCEEDED), so no network round trip is made for it.
 */
export function prepareCall(options: CallOptions, defaults: ClientOptions, start: CallStart): PreparedCall {
  if (start.failure !== undefined) {
    throw start.failure;
  }
  const { inbound, metadata } = start;
  const explicit = options.timeoutMs !== undefined || options.deadline !== undefined;
  const parts: DeadlineParts = {
    timeoutMs: explicit ? options.timeoutMs : defaults.defaultTimeoutMs,
    deadline: options.deadline,
    inherited: inbound?.deadline,
  };
  // Reading the clock is one of the dearest steps of starting a call, so a call without any deadline skips it.
  const now = hasDeadline(parts) ? Date.now() : undefined;
  const deadline = now === undefined ? Infinity : resolveDeadline(parts, now);
  const own = options.signal;
  if (own?.aborted === true) {
    throw abortError(own.reason, undefined, " before the call started");
  }
  if (inbound?.abortReason !== undefined) {
    throw abortError(inbound.abortReason, inbound, " before the call started");
  }
  if (now !== undefined && deadline <= now) {
    const source = inbound !== undefined && deadline === inbound.deadline ? ` (inherited from ${inbound.method.path})` : "";
    throw new RpcError(Code.DEADLINE_EXCEEDED, `Deadline exceeded before the call started${source}`);
  }
  return new OutboundCall(metadata, deadline, now, options, own, inbound, defaults.detailsRegistry);
}

/** What a call's deadline is resolved from. */
type DeadlineParts = Parameters<typeof resolveDeadline>[0];

/** True when `parts` set a deadline: a timeout, a deadline, or a finite inherited one. */
function hasDeadline(parts: DeadlineParts): boolean {
  return parts.timeoutMs !== undefined || parts.deadline !== undefined || (parts.inherited !== undefined && parts.inherited !== Infinity);
}

/**
 * One outbound call. It is itself the follower of its own signal and of the
 * inbound call, so following them costs no closure.
 */
class OutboundCall implements PreparedCall, AbortFollower, SignalFollower {
  ended = false;
  failure: RpcError | undefined;
  private received: Metadata | undefined;
  private transportCall: TransportCall | undefined;
  /** Set once a followed signal or the inbound call cancelled the call. */
  private cancelledBy: { readonly reason: unknown; readonly inherited: boolean } | undefined;
  private endListeners: Set<() => void> | undefined;
  /** True once the "status" event has been handled (`onTrailer` called). */
  private trailersHandled = false;
  /** The settling of a call answered by one message, waiting for the trailers. */
  private pendingSettle: (() => void) | undefined;

  constructor(
    readonly metadata: Metadata,
    readonly deadlineMs: number,
    readonly resolvedAtMs: number | undefined,
    readonly callOptions: CallOptions,
    private readonly own: AbortSignal | undefined,
    private readonly inbound: PropagatedCall | undefined,
    private readonly detailsRegistry: Registry | undefined,
  ) {}

  get headers(): Metadata {
    this.received ??= createMetadata();
    return this.received;
  }

  attach(call: TransportCall): void {
    // A listener must exist at all times: a transport (grpc-js) emits "error" on streams
    // even after the consumer stopped reading, and an unheard "error" event
    // would crash the process.
    call.on("error", ignore);
    call.on("metadata", (received) => {
      this.received = received;
      this.runCallback("onHeader", this.callOptions.onHeader, received, true);
    });
    if (this.callOptions.onTrailer !== undefined) {
      call.on("status", (status) => {
        // A failed call keeps its own status: the callback's error would hide it.
        this.runCallback("onTrailer", this.callOptions.onTrailer, status.metadata, status.code === (Code.OK as number));
        this.trailersHandled = true;
        this.settlePending();
      });
    }
    this.transportCall = call;
    if (this.own !== undefined) {
      followSignal(this.own, this);
    }
    this.inbound?.follow(this);
  }

  /**
   * Calls a user callback. One that throws (here, inside a grpc-js event,
   * where it would crash the process) fails the call instead when `fails`,
   * and cancels it on the wire if it is still running.
   */
  private runCallback(name: string, callback: ((metadata: Metadata) => void) | undefined, metadata: Metadata, fails: boolean): void {
    try {
      callback?.(metadata);
    } catch (error) {
      if (fails && !this.ended && this.cancelledBy === undefined && this.failure === undefined) {
        this.failure = callerError(`${name} callback`, error, Code.CANCELLED, this.headers);
        this.transportCall?.cancel();
      }
    }
  }

  afterTrailers(settle: () => void): void {
    if (this.callOptions.onTrailer === undefined || this.trailersHandled) {
      settle();
      return;
    }
    this.pendingSettle = settle;
    // grpc-js emits "status" right after the callback that got here; should
    // it not, the call settles all the same, only without that check.
    queueMicrotask(() => this.settlePending());
  }

  private settlePending(): void {
    const settle = this.pendingSettle;
    this.pendingSettle = undefined;
    settle?.();
  }

  /** Called when the call's own signal aborts: cancels the call on the wire. */
  signalAborted(): void {
    this.cancel(this.own?.reason, false);
  }

  /** Called when the inbound call ends early: cancels the call on the wire. */
  inboundAborted(reason: RpcError): void {
    this.cancel(reason, true);
  }

  get stopped(): boolean {
    return this.ended || this.cancelledBy !== undefined || this.failure !== undefined;
  }

  private cancel(reason: unknown, inherited: boolean): void {
    if (this.stopped) {
      return;
    }
    this.cancelledBy = { reason, inherited };
    const call = this.transportCall;
    if (call !== undefined) {
      call.cancel();
      // grpc-js 1.14 still sends a call cancelled before it has picked a
      // connection, once it has; cancelling again then resets it on the wire.
      // Transports take a second cancel() as a no-op.
      later(cancelAgain, call);
    }
  }

  onEnd(listener: () => void): () => void {
    this.endListeners ??= new Set();
    const listeners = this.endListeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    if (this.own !== undefined) {
      unfollowSignal(this.own, this);
    }
    this.inbound?.unfollow(this);
    if (this.endListeners !== undefined) {
      for (const listener of this.endListeners) {
        listener();
      }
      this.endListeners.clear();
    }
  }

  toError(error: unknown): RpcError {
    if (this.failure !== undefined) {
      return this.failure;
    }
    if (error instanceof RpcError) {
      return error;
    }
    if (isServiceError(error)) {
      // grpc-js reports our own cancel() as CANCELLED; say why it happened,
      // so an inherited deadline surfaces as DEADLINE_EXCEEDED.
      const cancelledBy = this.cancelledBy;
      if (cancelledBy !== undefined && error.code === (Code.CANCELLED as number)) {
        const inbound = cancelledBy.inherited ? this.inbound : undefined;
        return abortError(cancelledBy.reason, inbound, "", this.headers, error.metadata);
      }
      return rpcErrorFromServiceError(error, this.headers, this.detailsRegistry);
    }
    return new RpcError(Code.UNKNOWN, error instanceof Error ? error.message : String(error), {
      headers: this.headers,
      cause: error,
    });
  }
}

/**
 * The error of a call cut short by an abort with `reason`: DEADLINE_EXCEEDED
 * when the reason says a deadline passed (an RpcError with that code, as the
 * inbound call's is on expiry), otherwise CANCELLED.
 */
function abortError(reason: unknown, inbound: PropagatedCall | undefined, when: string, headers?: Metadata, metadata?: Metadata): RpcError {
  const expired = reason instanceof RpcError && reason.code === Code.DEADLINE_EXCEEDED;
  const source = inbound === undefined ? "" : ` (inherited from ${inbound.method.path})`;
  return expired
    ? new RpcError(Code.DEADLINE_EXCEEDED, `Deadline exceeded${when}${source}`, { headers, metadata, cause: reason })
    : new RpcError(Code.CANCELLED, `Call cancelled${when}${source}`, { headers, metadata, cause: reason });
}

function ignore(): void {}

/**
 * The transport callback of a call answered by one message (unary, client
 * streaming): once `onTrailer` has run, ends the call, then settles its
 * promise with the response or the failure as an RpcError.
 */
export function settle<T>(
  call: PreparedCall,
  resolve: (response: T) => void,
  reject: (error: RpcError) => void,
): (error: CallStatusError | null, response?: unknown) => void {
  return (error, response) => {
    call.afterTrailers(() => {
      call.end();
      if (error) {
        reject(call.toError(error));
      } else if (call.failure !== undefined) {
        reject(call.failure);
      } else {
        resolve(response as T);
      }
    });
  };
}

/** `setImmediate` where there is one (Node), else a zero-delay timer (browsers have no `setImmediate`). */
const later: (fn: (call: TransportCall) => void, call: TransportCall) => unknown =
  typeof globalThis.setImmediate === "function" ? globalThis.setImmediate : (fn, call) => setTimeout(fn, 0, call);

function cancelAgain(call: TransportCall): void {
  call.cancel();
}
