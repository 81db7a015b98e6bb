import { Metadata } from "@grpc/grpc-js";
import type { Metadata as AnyMetadata } from "../../metadata.js";
import { Code } from "../../code.js";
import type { MethodDefinition, ServiceDefinition } from "../../method-definition.js";
import { runDetached } from "../../propagation.js";
import { createServer, type ServerOptions, type StubwrightServer } from "../../server/create-server.js";
import type { ServiceHandlers } from "../../server/handler-types.js";
import { serverRoutes, type ServerRoute } from "../../server/server-routes.js";
import type { RequestSink, ResponseStream, SingleResponseCallback, Transport, TransportCall, TransportCallOptions } from "../transport.js";
import { InMemoryCall } from "./in-memory-call.js";

/** A service and its handlers, as `server.add` takes them; missing handlers answer UNIMPLEMENTED. */
export type ServiceImplementation<D extends ServiceDefinition = ServiceDefinition> = readonly [definition: D, handlers: Partial<ServiceHandlers<D>>];

/** A list of services with their handlers, each pair typed by its own definition. */
export type ServiceImplementations<S extends readonly ServiceDefinition[]> = { readonly [K in keyof S]: ServiceImplementation<S[K]> };

/** Options for {@link createInMemoryTransport} given services: those of the server it runs them in. */
export type InMemoryTransportOptions = Pick<ServerOptions, "use" | "onError" | "exposeInternalErrors" | "propagate" | "codec">;

/**
 * Creates a transport that runs a server's handlers in this process, with no
 * network: `createClient(definition, createInMemoryTransport(server))`.
 * Calls go through the same client core and the same server dispatcher as
 * over grpc-js, so deadlines (expiry on both sides, propagation to calls made
 * in handlers), metadata, status details, interceptors on both sides,
 * cancellation and streaming backpressure behave as on the wire. Every
 * message is serialized and parsed on its way, so a handler never shares an
 * object with its caller.
 *
 * `source` is a server made with `createServer` (it need not listen), or a
 * list of `[definition, handlers]` pairs served with `options` (default: no
 * interceptors, unexpected errors not logged).
 */
export function createInMemoryTransport<const S extends readonly ServiceDefinition[]>(
  source: StubwrightServer | ServiceImplementations<S>,
  options: InMemoryTransportOptions = {},
): Transport {
  const routes = serverRoutes(isServer(source) ? source : serveAll(source as readonly ServiceImplementation<never>[], options));
  if (routes === undefined) {
    throw new TypeError("createInMemoryTransport takes a server made with createServer, or [definition, handlers] pairs");
  }
  let closed = false;
  const start = (
    method: MethodDefinition,
    metadata: AnyMetadata,
    options: TransportCallOptions,
    request: unknown,
    callback?: SingleResponseCallback,
  ): InMemoryCall => {
    const route = routes.get(method.path);
    const call = new InMemoryCall(
      { client: method, server: route?.method ?? method, preSerialized: route?.preSerialized ?? false },
      metadata,
      options.deadlineMs,
      callback,
    );
    if (closed) {
      call.abort(Code.UNAVAILABLE, "The in-memory transport is closed");
    } else if (route === undefined) {
      call.finish({ code: Code.UNIMPLEMENTED, details: `The server does not implement the method ${method.path}`, metadata: new Metadata() }, undefined);
    } else {
      dispatch(call, route, request);
    }
    return call;
  };
  return {
    kind: "transport",
    target: "in-memory",
    unary(method, request, metadata, options, callback): TransportCall {
      return start(method, metadata, options, request, callback).client;
    },
    serverStreaming(method, request, metadata, options): ResponseStream {
      return start(method, metadata, options, request).client;
    },
    clientStreaming(method, metadata, options, callback): RequestSink {
      return start(method, metadata, options, noRequest, callback).client;
    },
    bidiStreaming(method, metadata, options): RequestSink & ResponseStream {
      return start(method, metadata, options, noRequest).client;
    },
    close(): void {
      closed = true;
    },
  };
}

/** Marks a call whose requests are streamed rather than given up front. */
const noRequest = Symbol("streamed requests");

/**
 * Hands the call to the server's dispatcher on a later tick, as a request
 * arriving over a network would be: the client core has attached its
 * listeners by then. The handler starts detached from the caller's inbound
 * call; the dispatcher makes it the inbound call of its own.
 */
function dispatch(call: InMemoryCall, route: ServerRoute, request: unknown): void {
  if (request !== noRequest) {
    try {
      call.server.request = call.decodeRequest(request);
    } catch (error) {
      call.abort(Code.INTERNAL, `Request message serialization failure: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
  }
  process.nextTick(() => {
    if (!call.ended) {
      runDetached(() => route.dispatch(call.server as never, call.sendSingle));
    }
  });
}

function serveAll(services: readonly ServiceImplementation<never>[], options: InMemoryTransportOptions): StubwrightServer {
  const server = createServer({ onError: ignore, ...options });
  for (const [definition, handlers] of services) {
    server.add(definition as ServiceDefinition, handlers as never);
  }
  return server;
}

function isServer(source: object): source is StubwrightServer {
  return !Array.isArray(source);
}

function ignore(): void {}
