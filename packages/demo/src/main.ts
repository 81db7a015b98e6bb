import { once } from "node:events";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Code, RpcError, closeClient, createServer } from "@stubwright/runtime";
import { createRestHandler } from "@stubwright/runtime/rest";
import { InventoryService, Item_Category } from "../../../gen/stubwright/demo/v1/inventory_pb.js";
import { createInventoryServiceClient } from "../../../gen/stubwright/demo/v1/inventory_grpc.js";
import { createInventoryService } from "./inventory-service.js";
import { serve } from "./serve.js";

/**
 * Starts the inventory server on a free loopback port, exercises all four
 * call kinds with the generated client and one REST call (the same handlers,
 * from the google.api.http annotations), prints what happened, and shuts down.
 * Exits non-zero if anything did not behave as expected.
 */
async function main(): Promise<void> {
  const server = createServer().add(InventoryService, createInventoryService());
  const port = await server.listen("127.0.0.1:0");
  const stop = (): void => void server.shutdown({ graceMs: 1000 }).then(() => process.exit(130));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  console.log(`inventory server listening on 127.0.0.1:${port}`);
  const client = createInventoryServiceClient(`127.0.0.1:${port}`, { defaultTimeoutMs: 5000 });
  try {
    // Unary.
    const hammer = await client.getItem({ sku: "HAM-001" });
    console.log(
      `unary        GetItem(HAM-001) -> ${hammer.name}, ${Item_Category[hammer.category]}, ${formatPrice(hammer.price)}, attributes ${JSON.stringify(hammer.attributes)}`,
    );
    try {
      await client.getItem({ sku: "NOPE" });
      throw new Error("expected NOT_FOUND");
    } catch (error) {
      if (!(error instanceof RpcError) || error.code !== Code.NOT_FOUND) throw error;
      console.log(`unary        GetItem(NOPE) -> ${Code[error.code]}: ${error.rawMessage}`);
    }

    // Server streaming.
    const updates: string[] = [];
    for await (const update of client.watchStock({ skus: ["HAM-001", "HOS-020"], maxUpdates: 4 })) {
      updates.push(`${update.sku}=${update.inStock}`);
    }
    console.log(`server-stream WatchStock -> ${updates.length} updates: ${updates.join(", ")}`);

    // Client streaming.
    async function* newItems() {
      yield { sku: "KNF-007", name: "Chef's knife", category: Item_Category.KITCHEN, availability: { case: "inStock" as const, value: 5 } };
      yield { sku: "HAM-001", name: "duplicate hammer" };
      yield { sku: "TRW-003", name: "Trowel", category: Item_Category.GARDEN, availability: { case: "inStock" as const, value: 40 } };
    }
    const summary = await client.importItems(newItems());
    console.log(`client-stream ImportItems -> imported ${summary.imported}, rejected ${summary.rejected} (${summary.rejectedSkus.join(", ")})`);

    // Bidirectional streaming.
    async function* reservations() {
      yield { sku: "KNF-007", quantity: 2 };
      yield { sku: "KNF-007", quantity: 9 };
      yield { sku: "TRW-003", quantity: 1 };
    }
    for await (const answer of client.reserve(reservations())) {
      console.log(`bidi-stream  Reserve(${answer.sku}) -> ${answer.reserved ? "reserved" : `refused (${answer.reason})`}, ${answer.remaining} left`);
    }
    // REST: the same handlers, routed by the google.api.http annotations.
    const rest = await restGet(server, "/v1/items/HAM-001");
    console.log(`rest         GET /v1/items/HAM-001 -> ${rest.status}, ${JSON.stringify(rest.body)}`);
    if (rest.status !== 200 || rest.body.sku !== "HAM-001") throw new Error("expected the hammer over REST");
    console.log("demo finished: all four call kinds worked");
  } finally {
    closeClient(client);
    await server.shutdown({ graceMs: 1000 });
  }
}

const serveAt = process.argv.indexOf("--serve");
// The last --rest wins, so `npm run demo:serve -- ADDRESS --rest OTHER` overrides the script's.
const restAt = process.argv.lastIndexOf("--rest");
(serveAt === -1 ? main() : serve(process.argv[serveAt + 1] ?? "127.0.0.1:50051", restAt === -1 ? undefined : process.argv[restAt + 1])).catch(
  (error: unknown) => {
    console.error("demo failed:", error);
    process.exitCode = 1;
  },
);

/** Formats a price given in minor units, e.g. 1899 EUR -> "18.99 EUR". */
function formatPrice(price: { currency: string; minorUnits: bigint } | undefined): string {
  return price === undefined ? "no price" : `${(Number(price.minorUnits) / 100).toFixed(2)} ${price.currency}`;
}

/** Serves `server`'s REST routes on a free loopback port for one GET of `path`, and returns what came back. */
async function restGet(server: ReturnType<typeof createServer>, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const http = createHttpServer(createRestHandler(server)).listen(0, "127.0.0.1");
  await once(http, "listening");
  try {
    const response = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } finally {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
}
