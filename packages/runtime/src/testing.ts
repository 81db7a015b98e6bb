/**
 * `@stubwright/runtime/testing`: test doubles. The in-memory transport runs
 * a server's handlers in the test's process with the semantics of the wire
 * (`createClient(definition, createInMemoryTransport(server))`), and typed
 * partial fakes answer a client's calls from a few handlers.
 */
export {
  createInMemoryTransport,
  type InMemoryTransportOptions,
  type ServiceImplementation,
  type ServiceImplementations,
} from "./transports/in-memory/in-memory-transport.js";
export { createFakeClient, type FakeClientOptions } from "./transports/in-memory/fake-client.js";
export type { Transport } from "./transports/transport.js";
