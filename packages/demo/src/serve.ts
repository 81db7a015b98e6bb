import { createServer } from "@stubwright/runtime";
import { loggingInterceptor } from "@stubwright/runtime/interceptors";
import { ServingStatus, addHealthService } from "@stubwright/runtime/health";
import { addReflectionService } from "@stubwright/runtime/reflection";
import { InventoryService } from "../../../gen/stubwright/demo/v1/inventory_pb.js";
import { createInventoryService } from "./inventory-service.js";

/**
 * Serves the inventory service (with health checking, reflection and call
 * logging) until SIGTERM or SIGINT, then shuts down the way an orchestrator
 * expects: health turns NOT_SERVING at once, in-flight calls get up to five
 * seconds to finish, the rest are aborted, and the process exits 0.
 *
 *   npm start -w @stubwright/demo -- --serve 127.0.0.1:50051
 */
export async function serve(address: string): Promise<void> {
  const server = createServer({ use: [loggingInterceptor()] }).add(InventoryService, createInventoryService());
  const health = addHealthService(server);
  health.setStatus("stubwright.demo.v1.InventoryService", ServingStatus.SERVING);
  addReflectionService(server);
  const port = await server.listen(address);
  console.log(`inventory server listening on port ${port}; try: npx buf curl --protocol grpc --http2-prior-knowledge --list-services http://127.0.0.1:${port}`);
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: draining (grace period 5 s)`);
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
