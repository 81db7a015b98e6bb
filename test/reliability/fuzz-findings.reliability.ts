import { create } from "@bufbuild/protobuf";
import { closeClient } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInventoryServiceClient, type InventoryServiceClient } from "../golden/ts/stubwright/demo/v1/inventory_grpc.js";
import { ItemSchema } from "../golden/ts/stubwright/demo/v1/inventory_pb.js";
import { createFigures } from "./figures.js";
import { startDemoTarget, type ServiceTarget } from "./service-targets.js";

/**
 * Requests the fuzzer once found harmful, replayed on every run against the
 * demo server in its own process. A Reserve of a negative quantity used to
 * push an item's stock past int32, and every later StockUpdate of that item
 * failed to serialize (INTERNAL).
 */

const figures = createFigures("fuzz-findings");
let target: ServiceTarget | undefined;
let client: InventoryServiceClient;

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

describe("requests the fuzzer found harmful, against the demo server", () => {
  beforeAll(async () => {
    target = await startDemoTarget();
    client = createInventoryServiceClient(`127.0.0.1:${target.server.port}`);
  });

  afterAll(async () => {
    closeClient(client);
    await target?.server.stop();
    figures.write();
  });

  it("imports refuse negative stock, reservations refuse zero or fewer units, and the stock keeps streaming", async () => {
    figures.fault("imported item with negative stock");
    const imported = await client.importItems(
      fromArray([
        create(ItemSchema, { sku: "héllo", availability: { case: "inStock", value: 5 } }),
        create(ItemSchema, { sku: "below zero", availability: { case: "inStock", value: -1 } }),
      ]),
    );
    figures.call("OK");
    expect(imported).toMatchObject({ imported: 1, rejectedSkus: ["below zero"] });

    figures.fault("reservation of zero or fewer units", 2);
    const requests = [
      { sku: "héllo", quantity: -(2 ** 31) },
      { sku: "héllo", quantity: 0 },
      { sku: "héllo", quantity: 2 },
      { sku: "nope", quantity: 1 },
    ];
    const answers = [];
    for await (const answer of client.reserve(fromArray(requests))) answers.push(answer);
    figures.call("OK");
    expect(answers.map(({ reserved, remaining, reason }) => ({ reserved, remaining, reason }))).toEqual([
      { reserved: false, remaining: 5, reason: "quantity must be positive" },
      { reserved: false, remaining: 5, reason: "quantity must be positive" },
      { reserved: true, remaining: 3, reason: "" },
      { reserved: false, remaining: 0, reason: "unknown SKU" },
    ]);

    const stock = [];
    for await (const update of client.watchStock({ skus: ["héllo"], maxUpdates: 2 })) stock.push(update.inStock);
    figures.call("OK");
    expect(stock).toEqual([3, 3]);
  });
});
