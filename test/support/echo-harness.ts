import { closeClient, createServer, type ServerOptions, type StubwrightServer } from "@stubwright/runtime";
import { EchoServiceDefinition, createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "./echo-service.js";

/** A running EchoService on 127.0.0.1 and a client for it. */
export interface EchoHarness {
  readonly server: StubwrightServer;
  readonly port: number;
  readonly client: EchoServiceClient;
  /** Closes the client and force-stops the server. */
  close(): Promise<void>;
}

/** Starts the echo server on 127.0.0.1:0 and connects a client to it. */
export async function startEcho(options: ServerOptions = {}): Promise<EchoHarness> {
  const server = createServer({ onError: () => {}, ...options }).add(EchoServiceDefinition, createEchoService());
  const port = await server.listen("127.0.0.1:0");
  const client = createEchoServiceClient(`127.0.0.1:${port}`);
  return {
    server,
    port,
    client,
    async close() {
      closeClient(client);
      server.forceShutdown();
    },
  };
}
