import type { Metadata } from "../metadata.js";
import type { CallOptions } from "../client/call-options.js";
import type { ServiceDefinition } from "../method-definition.js";
import { RpcError } from "../rpc-error.js";
import type { ServerCallContext } from "../server/server-context.js";

type UnaryStub = (request: unknown, options: CallOptions) => Promise<unknown>;
type StreamStub = (request: unknown, options: CallOptions) => AsyncIterable<unknown>;

/** Response metadata that belongs to the hop, not to the application: never copied from the backend. */
const hopMetadata = new Set(["content-type", "date"]);

/**
 * Handlers that answer every unary and server-streaming method of
 * `definition` by calling it on `client` (a client of the same service):
 * what a gateway in front of another gRPC server serves. The request
 * metadata goes along; the deadline and cancellation go along through
 * propagation (the call is made within the handler); the backend's response
 * headers, trailers and errors, details included, come back as the handler's
 * own. Methods whose client streams get no handler (REST does not serve them).
 */
export function createForwardingHandlers(definition: ServiceDefinition, client: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const handlers: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(definition)) {
    if (method.kind === "unary") {
      handlers[key] = forwardUnary(client[key] as UnaryStub);
    } else if (method.kind === "server_streaming") {
      handlers[key] = forwardStream(client[key] as StreamStub);
    }
  }
  return handlers;
}

function forwardUnary(stub: UnaryStub): (request: unknown, context: ServerCallContext) => Promise<unknown> {
  return async (request, context) => {
    try {
      return await stub(request, backendOptions(context));
    } catch (error) {
      throw asOwnError(error);
    }
  };
}

function forwardStream(stub: StreamStub): (request: unknown, context: ServerCallContext) => AsyncIterable<unknown> {
  return async function* (request, context) {
    try {
      yield* stub(request, backendOptions(context));
    } catch (error) {
      throw asOwnError(error);
    }
  };
}

/** The backend call's options: the inbound metadata, and its headers and trailers copied back. */
function backendOptions(context: ServerCallContext): CallOptions {
  return {
    metadata: context.metadata,
    onHeader: (headers) => copyInto(context.header, headers),
    onTrailer: (trailers) => copyInto(context.trailer, trailers),
  };
}

function copyInto(target: Metadata, source: Metadata): void {
  for (const [key, values] of Object.entries(source.toJSON())) {
    if (hopMetadata.has(key) || key.startsWith("grpc-")) {
      continue;
    }
    target.remove(key);
    for (const value of values) {
      target.add(key, value);
    }
  }
}

/**
 * The backend's error as one of the gateway's own: a received RpcError that
 * is rethrown keeps only its code and message (see `toServerStatus`), but a
 * gateway passes the backend's status on whole, details included.
 */
function asOwnError(error: unknown): unknown {
  if (!(error instanceof RpcError)) {
    return error;
  }
  return new RpcError(error.code, error.rawMessage, { details: error.toStatus().details, cause: error });
}
