import type { Server as GrpcServer } from "@grpc/grpc-js";
import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import type { CallTracker } from "./method-handler.js";
import type { ContextController } from "./server-context.js";

/** How a server stops; see `StubwrightServer.shutdown` and `forceShutdown`. */
export interface ServerShutdown {
  /** The calls in flight, which a shutdown ends. */
  readonly tracker: CallTracker;
  /** Stops accepting calls, ends those still running after `graceMs`; resolves once every connection is closed. */
  graceful(graceMs: number): Promise<void>;
  /** Stops accepting calls and ends those running now; resolves once every connection is closed. */
  force(): Promise<void>;
}

/**
 * How long the connections of calls ended by a shutdown may take to close
 * before they are reset: the statuses need a round trip to the client, and
 * only a client that stopped reading (so flow control holds a status back)
 * or that keeps its connection after the server said goodbye needs the bound.
 */
const closeBoundMs = 5_000;

/**
 * Creates the shutdown of `grpcServer`. `onBegin` runs when the first
 * shutdown (graceful or forced) begins.
 *
 * Calls still running when the grace period ends (or at a forced shutdown)
 * end with UNAVAILABLE, which clients may retry, as other gRPC servers send:
 * each handler's signal aborts first, then the call's status goes out, and
 * the connections close once clients have their statuses. Resetting the
 * connections at once (grpc-js's `forceShutdown`) would end the calls with
 * CANCELLED instead, and a reset can overtake a status already sent.
 */
export function createServerShutdown(grpcServer: GrpcServer, onBegin: () => void): ServerShutdown {
  const inFlight = new Set<ContextController>();
  let closed: Promise<void> | undefined;
  let terminated: RpcError | undefined;
  const begin = (): Promise<void> => {
    if (closed === undefined) {
      onBegin();
      // Refuses new calls at once; calls back once every connection is closed.
      closed = new Promise((resolve) => grpcServer.tryShutdown(() => resolve()));
    }
    return closed;
  };
  const terminate = (): void => {
    if (terminated !== undefined) {
      return;
    }
    const reason = new RpcError(Code.UNAVAILABLE, "Server shutting down");
    terminated = reason;
    if (inFlight.size === 0) {
      grpcServer.forceShutdown();
      return;
    }
    for (const call of Array.from(inFlight)) {
      call.terminate(reason);
    }
    const timer = setTimeout(() => grpcServer.forceShutdown(), closeBoundMs);
    void closed?.then(() => clearTimeout(timer));
  };
  const tracker: CallTracker = {
    add(call) {
      inFlight.add(call);
      // A call whose handler starts late (its request arrived after the
      // others were ended) ends too, once its handler adapter is set up.
      const reason = terminated;
      if (reason !== undefined) {
        queueMicrotask(() => call.terminate(reason));
      }
    },
    delete(call) {
      inFlight.delete(call);
    },
  };
  return {
    tracker,
    graceful(graceMs) {
      const done = begin();
      const timer = setTimeout(terminate, graceMs);
      return done.then(() => clearTimeout(timer));
    },
    force() {
      const done = begin();
      terminate();
      return done;
    },
  };
}
