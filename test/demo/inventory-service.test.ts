import { create } from "@bufbuild/protobuf";
import { Code, closeClient, createServer, type RpcError, type StubwrightServer } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ItemSchema } from "../../gen/stubwright/demo/v1/inventory_pb.js";
import { InventoryServiceDefinition, createInventoryServiceClient, type InventoryServiceClient } from "../../gen/stubwright/demo/v1/inventory_grpc.js";
import { createInventoryService } from "../../packages/demo/src/inventory-service.js";

let server: StubwrightServer;
let client: InventoryServiceClient;
beforeAll(async () => {
  server = createServer({ onError: () => {} }).add(InventoryServiceDefinition, createInventoryService());
  client = createInventoryServiceClient(`127.0.0.1:${await server.listen("127.0.0.1:0")}`);
});
afterAll(async () => {
  closeClient(client);
  await server.forceShutdown();
});

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

describe("the inventory demo service", () => {
  it("refuses reservations of zero or fewer units, so stock stays within int32 and every item keeps streaming", async () => {
    const imported = await client.importItems(
      fromArray([
        create(ItemSchema, { sku: "héllo", availability: { case: "inStock", value: 5 } }),
        create(ItemSchema, { sku: "below zero", availability: { case: "inStock", value: -1 } }),
      ]),
    );
    expect(imported).toMatchObject({ imported: 1, rejectedSkus: ["below zero"] });

    const answers = [];
    const requests = [
      { sku: "héllo", quantity: -(2 ** 31) },
      { sku: "héllo", quantity: 0 },
      { sku: "héllo", quantity: 2 },
      { sku: "nope", quantity: 1 },
    ];
    for await (const answer of client.reserve(fromArray(requests))) answers.push(answer);
    expect(answers.map(({ reserved, remaining, reason }) => ({ reserved, remaining, reason }))).toEqual([
      { reserved: false, remaining: 5, reason: "quantity must be positive" },
      { reserved: false, remaining: 5, reason: "quantity must be positive" },
      { reserved: true, remaining: 3, reason: "" },
      { reserved: false, remaining: 0, reason: "unknown SKU" },
    ]);

    const updates = [];
    for await (const update of client.watchStock({ skus: ["héllo"], maxUpdates: 2 })) updates.push(update.inStock);
    expect(updates).toEqual([3, 3]);
  });

  it("answers NOT_FOUND for an unknown SKU", async () => {
    const error = (await client.getItem({ sku: "nope" }).catch((e: unknown) => e)) as RpcError;
    expect(error.code).toBe(Code.NOT_FOUND);
  });
});
