import type { ClientOptions, ClientSource, StubwrightServer } from "@stubwright/runtime";
import { createInMemoryTransport } from "@stubwright/runtime/testing";

/** A generated client factory, e.g. `createEchoServiceClient`. */
export type ClientFactory<C> = (source: ClientSource, options?: ClientOptions) => C;

/** One way for a test's client to reach a test's server. */
export interface TransportCase {
  readonly name: string;
  /** Makes the server reachable (listening on 127.0.0.1:0 for grpc-js) and returns what clients are created with. */
  connect(server: StubwrightServer): Promise<ClientSource>;
  /** {@link TransportCase.connect}, then a client for the server from a generated factory. */
  makeClient<C>(server: StubwrightServer, factory: ClientFactory<C>, options?: ClientOptions): Promise<C>;
}

function transportCase(name: string, connect: (server: StubwrightServer) => Promise<ClientSource>): TransportCase {
  return {
    name,
    connect,
    async makeClient(server, factory, options) {
      return factory(await connect(server), options);
    },
  };
}

/** grpc-js over HTTP/2 on 127.0.0.1:0: the server listens, the client dials it. */
export const grpcJsCase: TransportCase = transportCase("grpc-js over 127.0.0.1", async (server) => `127.0.0.1:${await server.listen("127.0.0.1:0")}`);

/** The in-memory transport: the same server's handlers, no network. */
const inMemoryCase: TransportCase = transportCase("in-memory", async (server) => createInMemoryTransport(server));

/** Every transport a suite that tests call semantics runs over (`describe.each(transportCases)`). */
export const transportCases: readonly TransportCase[] = [grpcJsCase, inMemoryCase];
