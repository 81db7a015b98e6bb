import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer, type StubwrightServer } from "@stubwright/runtime";
import { loggingInterceptor } from "@stubwright/runtime/interceptors";
import { ServingStatus, addHealthService } from "@stubwright/runtime/health";
import { addReflectionService } from "@stubwright/runtime/reflection";
import { createRestHandler } from "@stubwright/runtime/rest";
import { InventoryService } from "../../../gen/stubwright/demo/v1/inventory_pb.js";
import { createInventoryService } from "./inventory-service.js";

/**
 * Serves the inventory service (with health checking, reflection and call
 * logging) until SIGTERM or SIGINT, then shuts down the way an orchestrator
 * expects: health turns NOT_SERVING at once, in-flight calls get up to five
 * seconds to finish, the rest are aborted, and the process exits 0. With a
 * `restAddress` (host:port), it also serves REST there from the same handlers.
 *
 *   npm start -w @stubwright/demo -- --serve 127.0.0.1:50051 --rest 127.0.0.1:8080
 */
export async function serve(address: string, restAddress?: string): Promise<void> {
  const server = createServer({ use: [loggingInterceptor()] }).add(InventoryService, createInventoryService());
  const health = addHealthService(server);
  health.setStatus("stubwright.demo.v1.InventoryService", ServingStatus.SERVING);
  addReflectionService(server);
  const port = await server.listen(address);
  console.log(`inventory server listening on port ${port}; try: npx buf curl --protocol grpc --http2-prior-knowledge --list-services http://127.0.0.1:${port}`);
  const rest = restAddress === undefined ? undefined : serveRest(server, restAddress);
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: draining (grace period 5 s)`);
    rest?.close();
    server.shutdown({ graceMs: 5000 }).then(
      () => {
        console.log("server stopped");
        process.exit(0);
      },
      (error: unknown) => {
        console.error("shutdown failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/**
 * Serves the server's REST routes (its google.api.http annotations) at
 * `address` (host:port). REST is an extra here: when the port is taken, the
 * demo says so and keeps serving gRPC.
 */
function serveRest(server: StubwrightServer, address: string): HttpServer {
  const { hostname, port } = new URL(`http://${address}`);
  const rest = createHttpServer(createRestHandler(server));
  rest.on("error", (error) => console.error(`REST not served at ${address}: ${error.message}`));
  rest.listen(Number(port), hostname, () => {
    const bound = (rest.address() as AddressInfo).port;
    console.log(`REST listening on port ${bound}; try: curl http://${hostname}:${bound}/v1/items/HAM-001`);
  });
  return rest;
}
