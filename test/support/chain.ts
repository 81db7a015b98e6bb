import type { CallOptions, ServerCallContext } from "@stubwright/runtime";
import type { EchoServiceClient, EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { EchoRequest } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { aborted, startEchoServer, type EchoServer } from "./echo-server.js";

/** What one hop saw of one call. */
export interface HopCall {
  readonly context: ServerCallContext;
  /** When the handler started (Date.now()). */
  readonly startedAt: number;
  /** Resolves with the signal's abort reason. */
  readonly reason: Promise<unknown>;
  /** The error the hop's own downstream call failed with, once it did. */
  downstreamError?: unknown;
}

/** One server of a chain, with the calls it served. */
export interface Hop {
  readonly name: string;
  readonly server: EchoServer;
  readonly calls: HopCall[];
}

/** Per-message behaviour of the leaf, C. */
export type LeafHook = (request: EchoRequest, context: ServerCallContext) => Promise<void> | void;

/**
 * Three EchoServices on 127.0.0.1: A forwards every call to B, B to C, in the
 * same call kind, passing no options (so whatever reaches C was inherited).
 * C answers with its message after `leaf(request)`, waits for its call to end
 * when the message is "hang", and reports its time remaining in `deadlineMs`.
 */
export interface Chain {
  readonly a: Hop;
  readonly b: Hop;
  readonly c: Hop;
  /** The client to A. */
  readonly client: EchoServiceClient;
  close(): void;
}

/** Starts C, then B (calling C), then A (calling B). */
export async function startChain(leaf: LeafHook = () => {}): Promise<Chain> {
  const c = await startHop("C", (calls) => leafHandlers(calls, leaf));
  const b = await startHop("B", (calls) => forwardingHandlers(calls, c.server.client));
  const a = await startHop("A", (calls) => forwardingHandlers(calls, b.server.client));
  return {
    a,
    b,
    c,
    client: a.server.client,
    close() {
      a.server.close();
      b.server.close();
      c.server.close();
    },
  };
}

async function startHop(name: string, handlers: (calls: HopCall[]) => Partial<EchoServiceHandlers>): Promise<Hop> {
  const calls: HopCall[] = [];
  const server = await startEchoServer(handlers(calls));
  return { name, server, calls };
}

function record(calls: HopCall[], context: ServerCallContext): HopCall {
  const call: HopCall = { context, startedAt: Date.now(), reason: aborted(context.signal) };
  calls.push(call);
  return call;
}

function answer(request: EchoRequest, context: ServerCallContext, index = 0) {
  const remaining = context.timeRemaining();
  return { message: request.message, index, deadlineMs: remaining === Infinity ? -1n : BigInt(Math.round(remaining)) };
}

function leafHandlers(calls: HopCall[], leaf: LeafHook): Partial<EchoServiceHandlers> {
  const serve = async (request: EchoRequest, context: ServerCallContext) => {
    await leaf(request, context);
    if (request.message === "hang") {
      await aborted(context.signal);
      throw context.signal.reason;
    }
    return answer(request, context);
  };
  return {
    async echo(request, context) {
      record(calls, context);
      return serve(request, context);
    },
    async *expand(request, context) {
      record(calls, context);
      yield await serve(request, context);
    },
    async collect(requests, context) {
      record(calls, context);
      let last: EchoRequest | undefined;
      for await (const request of requests) {
        last = request;
      }
      return serve(last!, context);
    },
    async *chat(requests, context) {
      record(calls, context);
      for await (const request of requests) {
        yield await serve(request, context);
      }
    },
  };
}

/** Forwards each call to `next` in the same kind, keeping the downstream error. */
function forwardingHandlers(calls: HopCall[], next: EchoServiceClient): Partial<EchoServiceHandlers> {
  const options: CallOptions = {};
  return {
    async echo(request, context) {
      const call = record(calls, context);
      return next.echo(request, options).catch(keep(call));
    },
    async *expand(request, context) {
      const call = record(calls, context);
      try {
        yield* next.expand(request, options);
      } catch (error) {
        keep(call)(error);
      }
    },
    async collect(requests, context) {
      const call = record(calls, context);
      return next.collect(requests, options).catch(keep(call));
    },
    async *chat(requests, context) {
      const call = record(calls, context);
      try {
        yield* next.chat(requests, options);
      } catch (error) {
        keep(call)(error);
      }
    },
  };
}

function keep(call: HopCall): (error: unknown) => never {
  return (error) => {
    call.downstreamError = error;
    throw error;
  };
}

