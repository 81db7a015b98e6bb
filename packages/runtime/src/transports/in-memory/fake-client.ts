import type { ClientOptions } from "../../client/client-options.js";
import { createClient, type ServiceClient } from "../../client/create-client.js";
import type { ServiceDefinition } from "../../method-definition.js";
import type { ServiceHandlers } from "../../server/handler-types.js";
import { createInMemoryTransport, type InMemoryTransportOptions } from "./in-memory-transport.js";

/** Options for {@link createFakeClient}: the client's, plus the server options of the fake (`server`). */
export interface FakeClientOptions extends ClientOptions {
  /** How the fake serves its handlers: server interceptors, error hook, codec. */
  readonly server?: InMemoryTransportOptions | undefined;
}

/**
 * A typed client whose calls the given handlers answer, in memory: a fake of
 * a service for tests. Methods without a handler answer UNIMPLEMENTED.
 * Calls have the full semantics of the in-memory transport (see
 * `createInMemoryTransport`): messages are copied through the codec,
 * deadlines and cancellation apply, errors arrive as RpcErrors with details.
 */
export function createFakeClient<D extends ServiceDefinition>(
  definition: D,
  handlers: Partial<ServiceHandlers<D>>,
  options: FakeClientOptions = {},
): ServiceClient<D> {
  const { server, ...clientOptions } = options;
  return createClient(definition, createInMemoryTransport<[D]>([[definition, handlers]], server), clientOptions);
}
