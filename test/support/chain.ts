import type { CallOptions, ServerCallContext } from "@stubwright/runtime";
import type { EchoServiceClient, EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { EchoRequest } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { aborted, deferred, startEchoServer, type Deferred, type EchoServer } from "./echo-server.js";

/** What one hop saw of one call. */
export interface HopCall {
  readonly context: ServerCallContext;
  /** When the handler started (Date.now()). */
  readonly startedAt: number;
  /** Resolves with the signal's abort reason. */
  readonly reason: Promise<unknown>;
  /** Resolves with the error the hop's own downstream call failed with, if it does. */
  readonly downstreamError: Promise<unknown>;
}

/** One server of a chain, with the calls it served. */
export interface Hop {
  readonly name: string;
  readonly server: EchoServer;
  readonly calls: HopCall[];
  /** Resolves with the next call this hop serves. */
  nextCall(): Promise<HopCall>;
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
  const c = await startHop("C", (log) => leafHandlers(log, leaf));
  const b = await startHop("B", (log) => forwardingHandlers(log, c.server.client));
  const a = await startHop("A", (log) => forwardingHandlers(log, b.server.client));
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

/** The calls one hop served, and who waits for the next. */
interface CallLog {
  readonly calls: HopCall[];
  waiters: Deferred<HopCall>[];
}

/** What a hop's handlers keep of one call. */
interface RecordedCall extends HopCall {
  readonly failed: Deferred<unknown>;
}

async function startHop(name: string, handlers: (log: CallLog) => Partial<EchoServiceHandlers>): Promise<Hop> {
  const log: CallLog = { calls: [], waiters: [] };
  const server = await startEchoServer(handlers(log));
  return {
    name,
    server,
    calls: log.calls,
    nextCall() {
      const next = deferred<HopCall>();
      log.waiters.push(next);
      return next.promise;
    },
  };
}

function record(log: CallLog, context: ServerCallContext): RecordedCall {
  const failed = deferred<unknown>();
  const call: RecordedCall = { context, startedAt: Date.now(), reason: aborted(context.signal), downstreamError: failed.promise, failed };
  log.calls.push(call);
  const waiters = log.waiters;
  log.waiters = [];
  for (const waiter of waiters) waiter.resolve(call);
  return call;
}

function answer(request: EchoRequest, context: ServerCallContext, index = 0) {
  const remaining = context.timeRemainingMs();
  return { message: request.message, index, deadlineMs: remaining === Infinity ? -1n : BigInt(Math.round(remaining)) };
}

function leafHandlers(log: CallLog, leaf: LeafHook): Partial<EchoServiceHandlers> {
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
      record(log, context);
      return serve(request, context);
    },
    async *expand(request, context) {
      record(log, context);
      yield await serve(request, context);
    },
    async collect(requests, context) {
      record(log, context);
      let last: EchoRequest | undefined;
      for await (const request of requests) {
        last = request;
      }
      return serve(last!, context);
    },
    async *chat(requests, context) {
      record(log, context);
      for await (const request of requests) {
        yield await serve(request, context);
      }
    },
  };
}

/** Forwards each call to `next` in the same kind, keeping the downstream error. */
function forwardingHandlers(log: CallLog, next: EchoServiceClient): Partial<EchoServiceHandlers> {
  const options: CallOptions = {};
  return {
    async echo(request, context) {
      const call = record(log, context);
      return next.echo(request, options).catch(keep(call));
    },
    async *expand(request, context) {
      const call = record(log, context);
      try {
        yield* next.expand(request, options);
      } catch (error) {
        keep(call)(error);
      }
    },
    async collect(requests, context) {
      const call = record(log, context);
      return next.collect(requests, options).catch(keep(call));
    },
    async *chat(requests, context) {
      const call = record(log, context);
      try {
        yield* next.chat(requests, options);
      } catch (error) {
        keep(call)(error);
      }
    },
  };
}

function keep(call: RecordedCall): (error: unknown) => never {
  return (error) => {
    call.failed.resolve(error);
    throw error;
  };
}
