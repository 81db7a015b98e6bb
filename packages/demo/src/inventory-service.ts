import { create } from "@bufbuild/protobuf";
import { timestampFromDate, timestampNow } from "@bufbuild/protobuf/wkt";
import { Code, RpcError, type ServerCallContext } from "@stubwright/runtime";
import { ResourceInfoSchema } from "@stubwright/runtime/error-details";
import { Item_Category, ItemSchema, type Item } from "../../../gen/stubwright/demo/v1/inventory_pb.js";
import type { InventoryServiceHandlers } from "../../../gen/stubwright/demo/v1/inventory_grpc.js";

/** An in-memory warehouse implementing every RPC of the demo service. */
export function createInventoryService(): InventoryServiceHandlers {
  const items = new Map<string, Item>();
  const add = (item: Item): void => void items.set(item.sku, item);
  add(
    create(ItemSchema, {
      sku: "HAM-001",
      name: "Claw hammer",
      category: Item_Category.TOOLS,
      price: { currency: "EUR", minorUnits: 1899n },
      attributes: { weight: "450g", handle: "hickory" },
      availability: { case: "inStock", value: 12 },
      updatedAt: timestampNow(),
    }),
  );
  add(
    create(ItemSchema, {
      sku: "HOS-020",
      name: "Garden hose, 20 m",
      category: Item_Category.GARDEN,
      price: { currency: "EUR", minorUnits: 3450n },
      availability: { case: "restockAt", value: timestampFromDate(new Date(Date.UTC(2026, 11, 1))) },
      updatedAt: timestampNow(),
    }),
  );
  const stockOf = (item: Item): number => (item.availability.case === "inStock" ? item.availability.value : 0);

  return {
    getItem(request) {
      const item = items.get(request.sku);
      if (item === undefined) {
        // The detail names the missing item in a form clients can read without parsing the message.
        throw new RpcError(Code.NOT_FOUND, `no item with SKU ${request.sku}`, {
          details: [create(ResourceInfoSchema, { resourceType: ItemSchema.typeName, resourceName: request.sku, description: "unknown SKU" })],
        });
      }
      return item;
    },

    async *watchStock(request, context: ServerCallContext) {
      const limit = request.maxUpdates === 0 ? Infinity : request.maxUpdates;
      for (let sent = 0; sent < limit && !context.signal.aborted; sent++) {
        const sku = request.skus[sent % request.skus.length] ?? "";
        const item = items.get(sku);
        yield { sku, inStock: item === undefined ? 0 : stockOf(item), at: timestampNow() };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },

    async importItems(requests) {
      let imported = 0;
      const rejectedSkus: string[] = [];
      for await (const item of requests) {
        if (item.sku === "" || items.has(item.sku) || stockOf(item) < 0) {
          rejectedSkus.push(item.sku);
          continue;
        }
        add(item);
        imported++;
      }
      return { imported, rejected: rejectedSkus.length, rejectedSkus };
    },

    async *reserve(requests) {
      for await (const { sku, quantity } of requests) {
        const item = items.get(sku);
        if (item === undefined) {
          yield { sku, reserved: false, remaining: 0, reason: "unknown SKU" };
          continue;
        }
        const available = stockOf(item);
        const reason = refusal(quantity, available);
        if (reason !== undefined) {
          yield { sku, reserved: false, remaining: available, reason };
          continue;
        }
        item.availability = { case: "inStock", value: available - quantity };
        yield { sku, reserved: true, remaining: available - quantity };
      }
    },
  };
}

/**
 * Why a reservation cannot be made, if it cannot. A quantity of zero or less
 * is refused, since adding stock back would let `remaining` leave int32.
 */
function refusal(quantity: number, available: number): string | undefined {
  if (quantity <= 0) return "quantity must be positive";
  return quantity > available ? "not enough stock" : undefined;
}
