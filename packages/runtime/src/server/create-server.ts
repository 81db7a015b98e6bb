import { Server as GrpcServer, ServerCredentials, type ServerOptions as GrpcServerOptions, type UntypedHandleCall } from "@grpc/grpc-js";
import type { CodecChoice } from "../codec/codec.js";
import { serviceWithCodec } from "../codec/method-codec.js";
import { resolveCodec } from "../codec/resolve-codec.js";
import { Code } from "../code.js";
import type { ServerInterceptor } from "../interceptors/interceptor.js";
import { interceptHandler } from "../interceptors/server-interceptors.js";
import type { ServiceDefinition } from "../method-definition.js";
import { RpcError } from "../rpc-error.js";
import { toServiceDefinition, type ServiceLike } from "../service-from-descriptor.js";
import { logServerError, type ErrorPolicy, type ServerErrorHook } from "./error-status.js";
import type { ServiceHandlers } from "./handler-types.js";
import { createMethodDispatcher, type HandlerSettings } from "./method-handler.js";
import { addServerRoute, type ServerRoute } from "./server-routes.js";
import { createServerShutdown } from "./server-shutdown.js";
import { checkHalfClose } from "../transports/grpc-js/half-close-check.js";
import { writeAhead } from "../transports/grpc-js/write-ahead.js";
import { preSerializedDefinition } from "../transports/grpc-js/pre-serialized-definition.js";

/** Options for {@link createServer}. */
export interface ServerOptions {
  /** Options passed to grpc-js's `Server`, e.g. message size limits and keepalive. */
  readonly grpc?: GrpcServerOptions | undefined;
  /**
   * Receives unexpected errors with the method: a handler's errors that
   * are not RpcErrors, and responses that cannot be sent (they do not
   * serialize or exceed `grpc.max_send_message_length`). Logs to stderr by default.
   */
  readonly onError?: ServerErrorHook | undefined;
  /**
   * Send unexpected errors' messages to clients, and their stacks in a
   * google.rpc.DebugInfo detail (default false). Never enable in production.
   */
  readonly exposeInternalErrors?: boolean | undefined;
  /** Interceptors around every handler, outermost first. */
  readonly use?: readonly ServerInterceptor[] | undefined;
  /**
   * Whether handlers run as the inbound call that outbound calls inherit
   * from (default `true`): a Stubwright client called within a handler then
   * takes the earlier of its own deadline and the inbound one, and is
   * cancelled with the inbound call (see `currentCall()`).
   *
   * `false` suits leaf services, which call no other service. On Node 20
   * and 22, AsyncLocalStorage, which carries the inbound call through
   * awaits, runs hooks for every promise in the process once a handler has
   * entered it; BENCHMARKS.md measures what that costs. `context.signal`,
   * `context.deadline` and interceptors work the same either way.
   */
  readonly propagate?: boolean | undefined;
  /**
   * How requests are decoded and responses encoded: `"compiled"` (default),
   * `"protobuf-es"` (its `toBinary` / `fromBinary`), or a `Codec` of your own
   * (see `@stubwright/runtime/codec`).
   */
  readonly codec?: CodecChoice | undefined;
}

/** Options for {@link StubwrightServer.shutdown}. */
export interface ShutdownOptions {
  /**
   * Milliseconds in-flight calls may take to finish (default 10 000). Calls
   * still running then end as at {@link StubwrightServer.forceShutdown}.
   */
  readonly graceMs?: number | undefined;
}

/** A gRPC server serving Stubwright handlers (and plain grpc-js ones through `grpcServer`). */
export interface StubwrightServer {
  /**
   * Registers a service, given as a protoc-gen-es `GenService` or a
   * definition; handlers that are missing answer UNIMPLEMENTED.
   */
  add<S extends ServiceLike>(service: S, handlers: Partial<ServiceHandlers<S>>): this;
  /**
   * Binds and starts serving; resolves to the bound port (the real one when
   * `address` asks for port 0). Defaults to `127.0.0.1:0` and plaintext.
   */
  listen(address?: string, credentials?: ServerCredentials): Promise<number>;
  /**
   * Stops accepting calls, lets in-flight calls finish for up to `graceMs`,
   * then ends the rest as {@link forceShutdown} does and closes every
   * connection. Resolves when done.
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /**
   * Stops accepting calls and ends every call in flight with UNAVAILABLE,
   * which clients may retry: each handler's signal aborts first, with an
   * UNAVAILABLE RpcError as its reason, then the call's status goes out.
   * Connections close once clients have their statuses, or after 5 s for a
   * client that does not read them. Resolves when every connection is closed.
   */
  forceShutdown(): Promise<void>;
  /** Runs `listener` once when shutdown (graceful or forced) begins, e.g. to report NOT_SERVING. */
  onShutdown(listener: () => void): this;
  /** The grpc-js server underneath, for features Stubwright does not wrap. */
  readonly grpcServer: GrpcServer;
  /** The service definitions added so far, in order (reflection lists them). */
  readonly definitions: readonly ServiceDefinition[];
}

/** Creates a server. Add services, then `listen`. */
export function createServer(options: ServerOptions = {}): StubwrightServer {
  // Write-ahead wraps grpc-js's own call, which only it can; the half-close
  // check comes next, so every interceptor and handler above it sees a reset
  // stream as cancelled.
  const grpcServer = new GrpcServer({ ...options.grpc, interceptors: [writeAhead, checkHalfClose, ...(options.grpc?.interceptors ?? [])] });
  const codec = resolveCodec(options.codec);
  const policy: ErrorPolicy = {
    onError: options.onError ?? logServerError,
    exposeInternalErrors: options.exposeInternalErrors ?? false,
  };
  const shutdownListeners = new Set<() => void>();
  const stopper = createServerShutdown(grpcServer, () => {
    for (const listener of shutdownListeners) {
      listener();
    }
    shutdownListeners.clear();
  });
  const definitions: ServiceDefinition[] = [];
  // grpc-js interceptors of the user's own see response messages, so only
  // without them are responses handed to grpc-js serialized. (With them,
  // grpc-js serializes, and a failure there reaches the client only.)
  const settings: HandlerSettings = {
    policy,
    tracker: stopper.tracker,
    preSerialized: (options.grpc?.interceptors?.length ?? 0) === 0,
    maxSendMessageBytes: options.grpc?.["grpc.max_send_message_length"],
    propagate: options.propagate ?? true,
  };
  const server: StubwrightServer = {
    grpcServer,
    definitions,
    add(service, handlers) {
      const definition: ServiceDefinition = toServiceDefinition(service);
      definitions.push(definition);
      const served = serviceWithCodec(definition, codec);
      const implementation = toGrpcImplementation(served, handlers, settings, options.use, server, {
        maxReceiveMessageBytes: options.grpc?.["grpc.max_receive_message_length"],
        maxSendMessageBytes: options.grpc?.["grpc.max_send_message_length"],
      });
      grpcServer.addService(settings.preSerialized ? preSerializedDefinition(served) : served, implementation);
      return server;
    },
    listen(address = "127.0.0.1:0", credentials = ServerCredentials.createInsecure()) {
      return new Promise((resolve, reject) => {
        grpcServer.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port)));
      });
    },
    shutdown({ graceMs = 10_000 } = {}) {
      return stopper.graceful(graceMs);
    },
    forceShutdown() {
      return stopper.force();
    },
    onShutdown(listener) {
      shutdownListeners.add(listener);
      return server;
    },
  };
  return server;
}

function toGrpcImplementation(
  definition: ServiceDefinition,
  handlers: object,
  settings: HandlerSettings,
  use: readonly ServerInterceptor[] | undefined,
  server: StubwrightServer,
  limits: ServerRoute["limits"],
): Record<string, UntypedHandleCall> {
  // A null-prototype object: grpc-js looks handlers up by name, and a method
  // named "toString" must not find Object.prototype.toString.
  const implementation = Object.create(null) as Record<string, UntypedHandleCall>;
  for (const [name, method] of Object.entries(definition)) {
    const handler: unknown = (handlers as Record<string, unknown>)[name];
    const implemented = typeof handler === "function" && handler !== (Object.prototype as Record<string, unknown>)[name];
    // A missing handler still gets an entry: without one, grpc-js also looks the
    // handler up by the proto method name, so an unimplemented "get_foo" (key
    // getFoo$1) would be served by the handler of "GetFoo" (key getFoo). It runs
    // through the interceptors too, so auth and logging see every call.
    const run = implemented ? (handler.bind(handlers) as never) : unimplemented(method.path);
    const dispatch = createMethodDispatcher(method, interceptHandler(method, run, use), settings);
    // The dispatcher has the shape of a grpc-js handler and grpc-js's calls have that of a ServerCall.
    implementation[name] = dispatch as UntypedHandleCall;
    addServerRoute(server, { method, dispatch, preSerialized: settings.preSerialized, limits });
  }
  return implementation;
}

function unimplemented(path: string): () => never {
  return () => {
    throw new RpcError(Code.UNIMPLEMENTED, `The server does not implement the method ${path}`);
  };
}
