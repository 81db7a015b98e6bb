import type { Registry } from "@bufbuild/protobuf";
import type { CallOptions as GrpcCallOptions, Metadata } from "@grpc/grpc-js";
import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { Code } from "../code.js";
import { uncompressedCall } from "../compression/compression.js";
import { resolveDeadline } from "../deadline.js";
import { createMetadata } from "../metadata.js";
import { currentCall } from "../propagation.js";
import { RpcError } from "../rpc-error.js";
import { isServiceError, rpcErrorFromServiceError } from "../status.js";
import type { CallOptions, ClientOptions } from "./call-options.js";

/** The part of every grpc-js client call object that Stubwright drives. */
export interface GrpcCall {
  cancel(): void;
  on(event: "metadata", listener: (headers: Metadata) => void): unknown;
  on(event: "status", listener: (status: { metadata: Metadata }) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/**
 * The life of one outbound call: its resolved deadline and metadata, the
 * abort sources it listens to, and the hooks that run when it ends. Every
 * listener it adds is removed in {@link PreparedCall.end}.
 */
export interface PreparedCall {
  readonly metadata: Metadata;
  readonly grpcOptions: GrpcCallOptions;
  /** Response headers once received (empty before). */
  readonly headers: Metadata;
  /** True once the call has ended, successfully or not. */
  readonly ended: boolean;
  /** Wires header/trailer callbacks and cancellation to a started call. */
  attach(call: GrpcCall): void;
  /** Registers a listener for the end of the call; returns its remover. */
  onEnd(listener: () => void): () => void;
  /** Marks the call as ended and removes every listener it added. */
  end(): void;
  /** Converts whatever a call failed with into an RpcError. */
  toError(error: unknown): RpcError;
}

/**
 * Resolves call options against client defaults and the inbound call (for
 * propagation). Throws an RpcError when the call must fail before it starts:
 * an aborted signal (CANCELLED) or a deadline already spent
 * (DEADLINE_EXCEEDED), so no network round trip is made for it.
 */
export function prepareCall(options: CallOptions, defaults: ClientOptions): PreparedCall {
  const inbound = options.propagate === false ? undefined : currentCall();
  const explicit = options.timeout !== undefined || options.deadline !== undefined;
  const deadline = resolveDeadline({
    timeout: explicit ? options.timeout : defaults.defaultTimeout,
    deadline: options.deadline,
    inherited: inbound?.deadline,
  });
  const signals = [options.signal, inbound?.signal].filter((s): s is AbortSignal => s !== undefined);
  for (const signal of signals) {
    if (signal.aborted) {
      throw abortError(signal);
    }
  }
  if (deadline <= Date.now()) {
    throw new RpcError(Code.DEADLINE_EXCEEDED, "Deadline exceeded before the call started");
  }
  const grpcOptions: GrpcCallOptions = {};
  if (deadline !== Infinity) {
    grpcOptions.deadline = deadline;
  }
  if (options.credentials !== undefined) {
    grpcOptions.credentials = options.credentials;
  }
  if (defaults.interceptors !== undefined && defaults.interceptors.length > 0) {
    grpcOptions.interceptors = [...defaults.interceptors];
  }
  if (options.compress === false) {
    grpcOptions.interceptors = [...(grpcOptions.interceptors ?? []), uncompressedCall];
  }
  return createPreparedCall(createMetadata(options.metadata), grpcOptions, signals, options, defaults.detailsRegistry);
}

function createPreparedCall(
  metadata: Metadata,
  grpcOptions: GrpcCallOptions,
  signals: readonly AbortSignal[],
  options: CallOptions,
  detailsRegistry: Registry | undefined,
): PreparedCall {
  let headers: Metadata = new GrpcMetadata();
  let ended = false;
  let cancel: (() => void) | undefined;
  const endListeners = new Set<() => void>();
  const onAbort = (): void => cancel?.();
  return {
    metadata,
    grpcOptions,
    get headers() {
      return headers;
    },
    get ended() {
      return ended;
    },
    attach(call) {
      // A listener must exist at all times: grpc-js emits "error" on streams
      // even after the consumer stopped reading, and an unheard "error" event
      // would crash the process.
      call.on("error", ignore);
      call.on("metadata", (received) => {
        headers = received;
        options.onHeader?.(received);
      });
      if (options.onTrailer !== undefined) {
        const onTrailer = options.onTrailer;
        call.on("status", (status) => onTrailer(status.metadata));
      }
      cancel = () => call.cancel();
      for (const signal of signals) {
        signal.addEventListener("abort", onAbort, { once: true });
      }
    },
    onEnd(listener) {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },
    end() {
      if (ended) {
        return;
      }
      ended = true;
      for (const signal of signals) {
        signal.removeEventListener("abort", onAbort);
      }
      for (const listener of endListeners) {
        listener();
      }
      endListeners.clear();
    },
    toError(error) {
      if (error instanceof RpcError) {
        return error;
      }
      if (isServiceError(error)) {
        return rpcErrorFromServiceError(error, headers, detailsRegistry);
      }
      return new RpcError(Code.UNKNOWN, error instanceof Error ? error.message : String(error), {
        headers,
        cause: error,
      });
    },
  };
}

function abortError(signal: AbortSignal): RpcError {
  const reason: unknown = signal.reason;
  if (reason instanceof RpcError) {
    return reason;
  }
  return new RpcError(Code.CANCELLED, "Call cancelled before it started", { cause: reason });
}

function ignore(): void {}
