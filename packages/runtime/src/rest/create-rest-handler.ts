import { createRegistry, type DescMethod, type JsonReadOptions, type JsonWriteOptions, type Message } from "@bufbuild/protobuf";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { Code } from "../code.js";
import { runDetached } from "../propagation.js";
import type { RpcError } from "../rpc-error.js";
import type { StubwrightServer } from "../server/create-server.js";
import { serverRoutes, type ServerRoute } from "../server/server-routes.js";
import { methodDescriptor } from "../service-from-descriptor.js";
import { standardDetailsRegistry } from "../status/status-details.js";
import { readRestBindings, type RestBinding } from "./http-bindings.js";
import { sendStatus } from "./json-response.js";
import { RestCall, type RestExchange } from "./rest-call.js";
import { createRestRouter, type RestRouter, type RouteMatch } from "./rest-router.js";
import type { RouteConflict } from "./route-conflicts.js";
import { readBody } from "../web-server/read-body.js";
import { buildRequest } from "./request-mapping.js";
import { requestDeadline } from "./request-deadline.js";
import { defaultForwardedHeaders, requestMetadata } from "./request-metadata.js";

/** Options for {@link createRestHandler}. */
export interface RestHandlerOptions {
  /** How request JSON is read, e.g. `{ ignoreUnknownFields: true }` (default: unknown fields are an error). */
  readonly readOptions?: Partial<JsonReadOptions> | undefined;
  /**
   * How response JSON is written, e.g. `{ useProtoFieldName: true, alwaysEmitImplicit: true }`.
   * Its `registry` also serves the `@type` of Any fields and of error details
   * (the standard error details are always known).
   */
  readonly writeOptions?: Partial<JsonWriteOptions> | undefined;
  /**
   * Request headers forwarded to handlers as metadata under their own name,
   * in lower case (default `["authorization", "x-request-id"]`).
   * `Grpc-Metadata-<key>` headers are always forwarded, as `<key>`.
   */
  readonly forwardHeaders?: readonly string[] | undefined;
  /** The largest request body read, in bytes (default 4 MiB, gRPC's default message limit); larger ones get 413. */
  readonly maxRequestBytes?: number | undefined;
}

/** A Node `http` request listener: `http.createServer(listener)`, or mounted beside any framework. */
export type RestRequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Creates a request listener that serves a server's methods over HTTP/1.1
 * and JSON, following their `google.api.http` annotations (gRPC
 * transcoding). Calls go through the server's own dispatcher: the same
 * handlers, interceptors, deadlines (from `Grpc-Timeout` or
 * `X-Server-Timeout`), propagation, error policy and shutdown as over gRPC.
 * Add the services first: the routes are read when this is called, and a
 * rule that cannot be served throws an `HttpRuleError` here. Of two rules
 * that match the same requests the first is served, and the other is
 * reported as a process warning (`STUBWRIGHT_REST_ROUTE_CONFLICT`). Methods whose
 * client streams (client and bidi streaming) are not served over REST. Once
 * the server begins to shut down, new requests get UNAVAILABLE (503).
 */
export function createRestHandler(server: StubwrightServer, options: RestHandlerOptions = {}): RestRequestListener {
  const router = createRestRouter(restEntries(server), warnConflict);
  const readOptions = options.readOptions ?? {};
  const writeOptions = options.writeOptions ?? {};
  const registry = writeOptions.registry === undefined ? standardDetailsRegistry : createRegistry(standardDetailsRegistry, writeOptions.registry);
  const forwarded = new Set((options.forwardHeaders ?? defaultForwardedHeaders).map((name) => name.toLowerCase()));
  const maxRequestBytes = options.maxRequestBytes ?? 4 * 1024 * 1024;
  const settings: Settings = { router, readOptions, writeOptions: { ...writeOptions, registry }, forwarded, maxRequestBytes, closing: false };
  // The HTTP server is the caller's, so it may outlive the gRPC server: refuse
  // new calls as grpc-js does once a shutdown begins (calls in flight end as
  // the shutdown ends them, through the dispatcher).
  server.onShutdown(() => {
    settings.closing = true;
  });
  return (request, response) => serve(request, response, settings);
}

/** Reports a rule that is never served, as Node reports deprecations: once on stderr, and to `process.on("warning")`. */
function warnConflict(conflict: RouteConflict): void {
  process.emitWarning(conflict.message, { type: "StubwrightWarning", code: "STUBWRIGHT_REST_ROUTE_CONFLICT" });
}

interface Settings {
  readonly router: RestRouter<ServerRoute>;
  readonly readOptions: Partial<JsonReadOptions>;
  readonly writeOptions: Partial<JsonWriteOptions> & { readonly registry: NonNullable<JsonWriteOptions["registry"]> };
  readonly forwarded: ReadonlySet<string>;
  readonly maxRequestBytes: number;
  /** Set once the server's shutdown began. */
  closing: boolean;
}

/** Every binding of every method the server serves from a descriptor, with the route that runs it. */
function restEntries(server: StubwrightServer): { binding: RestBinding; target: ServerRoute }[] {
  const routes = serverRoutes(server);
  // By path: a service added twice is served by its last handlers, so it is routed once.
  const methods = new Map<string, DescMethod>();
  for (const definition of server.definitions) {
    for (const method of Object.values(definition)) {
      const descriptor = methodDescriptor(method);
      if (descriptor !== undefined && !method.requestStream) {
        methods.set(method.path, descriptor);
      }
    }
  }
  const entries: { binding: RestBinding; target: ServerRoute }[] = [];
  for (const [path, descriptor] of methods) {
    const target = routes?.get(path);
    if (target !== undefined) {
      entries.push(...readRestBindings(descriptor).map((binding) => ({ binding, target })));
    }
  }
  return entries;
}

function serve(request: IncomingMessage, response: ServerResponse, settings: Settings): void {
  const registry = settings.writeOptions.registry;
  const fail = (code: Code, details: string, headers: OutgoingHttpHeaders = {}, httpStatus?: number): void => {
    // Answered before the body is read: read it away, so the connection stays usable.
    request.resume();
    sendStatus(response, { code, details }, registry, headers, httpStatus);
  };
  if (settings.closing) {
    fail(Code.UNAVAILABLE, "Server shutting down", closeConnection(request));
    return;
  }
  const url = request.url ?? "/";
  const queryStart = url.indexOf("?");
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  let found: RouteMatch<ServerRoute>;
  let deadline: number;
  try {
    // The deadline counts from the request's arrival, before its body is read.
    deadline = requestDeadline(request, Date.now());
    found = settings.router.route(request.method ?? "GET", path);
  } catch (error) {
    // A malformed timeout header, or a malformed escape in a variable's value.
    fail(Code.INVALID_ARGUMENT, (error as Error).message);
    return;
  }
  if (found.kind === "not-found") {
    fail(Code.NOT_FOUND, `no REST route for ${request.method} ${path}`, {}, 404);
  } else if (found.kind === "method-not-allowed") {
    const allow = found.allow.join(", ");
    fail(Code.UNIMPLEMENTED, `${request.method} is not allowed for ${path}; allowed: ${allow}`, { allow }, 405);
  } else {
    const query = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1));
    readBody(request, settings.maxRequestBytes, (bytes) => {
      const body = bytes?.toString("utf8");
      if (body === undefined) {
        sendStatus(
          response,
          { code: Code.RESOURCE_EXHAUSTED, details: `the request body exceeds ${settings.maxRequestBytes} bytes` },
          registry,
          closeConnection(request),
          413,
        );
      } else {
        startCall({ request, response, settings, found, query, body, deadline });
      }
    });
  }
}

/** A routed request with its body read. */
interface RoutedRequest {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly settings: Settings;
  readonly found: Extract<RouteMatch<ServerRoute>, { kind: "match" }>;
  readonly query: URLSearchParams;
  readonly body: string;
  readonly deadline: number;
}

/** Builds the request message and hands the call to the route's dispatcher; a request that does not map is 400. */
function startCall({ request, response, settings, found, query, body, deadline }: RoutedRequest): void {
  const { binding, target } = found;
  const registry = settings.writeOptions.registry;
  let message: Message;
  try {
    message = buildRequest(binding, { path: found.path, query, body }, settings.readOptions);
  } catch (error) {
    // buildRequest fails with INVALID_ARGUMENT RpcErrors only.
    sendStatus(response, { code: (error as RpcError).code, details: (error as RpcError).rawMessage }, registry);
    return;
  }
  const exchange: RestExchange = {
    request,
    response,
    binding,
    decode: (sent) => (target.preSerialized ? (target.method.responseDeserialize(sent as Buffer) as Message) : (sent as Message)),
    writeOptions: settings.writeOptions,
    registry,
  };
  const call = new RestCall(exchange, requestMetadata(request, settings.forwarded), deadline);
  call.request = message;
  // Detached: the handler's call is its own inbound call, never one the listener happened to run in.
  runDetached(() => target.dispatch(call as never, call.sendSingle));
}

/**
 * Asks an HTTP/1.1 client to close the connection; HTTP/2 has no such
 * header (the web handler serves REST over HTTP/2 too, where Node drops it with a warning).
 */
function closeConnection(request: IncomingMessage): OutgoingHttpHeaders {
  return request.httpVersionMajor < 2 ? { connection: "close" } : {};
}
