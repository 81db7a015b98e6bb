import type { DescService } from "@bufbuild/protobuf";
import { closeClient, createClient, type ClientSource } from "../client/create-client.js";
import type { ClientOptions } from "../client/client-options.js";
import type { ServerInterceptor } from "../interceptors/interceptor.js";
import { createServer, type ServerOptions } from "../server/create-server.js";
import { toServiceDefinition } from "../service-from-descriptor.js";
import { createRestHandler, type RestHandlerOptions, type RestRequestListener } from "./create-rest-handler.js";
import { createForwardingHandlers } from "./forwarding-handlers.js";

/** Options for {@link createRestGateway}: those of the REST listener, and of the gateway's clients and calls. */
export interface RestGatewayOptions extends RestHandlerOptions {
  /** Options of the clients that call the backend, e.g. credentials, `defaultTimeoutMs`, interceptors. */
  readonly client?: ClientOptions | undefined;
  /** Interceptors around every forwarded call, outermost first (auth, logging), as a server's `use`. */
  readonly use?: readonly ServerInterceptor[] | undefined;
  /** Receives unexpected errors; logs to stderr by default (see `ServerOptions.onError`). */
  readonly onError?: ServerOptions["onError"];
}

/** A REST gateway in front of a gRPC server. */
export interface RestGateway {
  /** The Node `http` request listener that serves the REST routes. */
  readonly listener: RestRequestListener;
  /**
   * Ends the calls in flight with UNAVAILABLE and, when the backend was given
   * as an address (or a list of them), closes the channels the gateway opened; resolves when done.
   */
  close(): Promise<void>;
}

/**
 * Creates a REST gateway in front of a gRPC server in any language, as
 * grpc-gateway is: the `google.api.http` routes of `services` are served by
 * calling the same methods at `backend` (an address, a grpc-js channel or
 * client, or any transport) with Stubwright clients. It shares the router,
 * request mapping and error mapping of {@link createRestHandler}: the
 * request runs through a server of its own (never listening) whose handlers
 * forward, so the REST deadline and cancellation reach the backend call by
 * propagation, and the backend's status, details, headers and trailers
 * come back.
 */
export function createRestGateway(services: readonly DescService[], backend: ClientSource, options: RestGatewayOptions = {}): RestGateway {
  const forwarder = createServer({ use: options.use, onError: options.onError });
  const clients: object[] = [];
  for (const service of services) {
    const client = createClient(service, backend, options.client);
    clients.push(client);
    forwarder.add(service, createForwardingHandlers(toServiceDefinition(service), client as Readonly<Record<string, unknown>>) as never);
  }
  const listener = createRestHandler(forwarder, options);
  // Only channels the gateway opened are its to close; a channel, client or transport given is the caller's.
  const ownsChannels = typeof backend === "string" || Array.isArray(backend);
  return {
    listener,
    async close() {
      await forwarder.forceShutdown();
      if (ownsChannels) {
        for (const client of clients) {
          closeClient(client);
        }
      }
    },
  };
}
