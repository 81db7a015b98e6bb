import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { OrderSchema, OrderStatus, type Order } from "./gen/es/bench_pb.js";

/**
 * The realistic nested message of the codec benchmark (about 1.5 KB):
 * strings, int64, an enum, a Timestamp, repeated messages and scalars, a
 * map and a oneof. Every stack encodes the same content.
 */
export function createOrder(): Order {
  const items = Array.from({ length: 8 }, (_, i) => ({
    sku: `SKU-${100000 + i}`,
    title: `Stainless steel widget, model ${i} — größe M`,
    quantity: 1 + i,
    unitPrice: { currency: "EUR", units: BigInt(19 + i), nanos: 990000000 },
    tags: ["hardware", "steel", `batch-${i}`],
  }));
  return create(OrderSchema, {
    id: "ord_7f3c9a2e-4b1d-4e8a-9c6f-0d2b5e8a1f47",
    customerId: 9007199254740993n,
    status: OrderStatus.SHIPPED,
    createdAt: timestampFromMs(1_763_900_000_123),
    items,
    attributes: {
      channel: "web",
      campaign: "autumn-sale-2026",
      locale: "de-DE",
      "ab-test": "checkout-v2",
      referrer: "https://example.com/products/widgets?page=3",
    },
    delivery: {
      case: "shippingAddress",
      value: { street: "Hauptstraße 12", city: "Berlin", postalCode: "10115", country: "DE" },
    },
    total: { currency: "EUR", units: 1234n, nanos: 560000000 },
    relatedIds: [1n, 22n, 333n, 4444n, 55555n, 9007199254740993n],
    gift: true,
    weightKg: 3.75,
  });
}

/**
 * The many-field counterpart of a 64 KiB blob: an `Order` grown with line
 * items until its encoding reaches `minBytes` (strings, nested messages,
 * repeated fields; no single large field). Returns the encoding.
 */
export function encodeLargeOrder(minBytes: number): Uint8Array {
  const order = createOrder();
  const template = order.items;
  let bytes = toBinary(OrderSchema, order);
  for (let i = 0; bytes.length < minBytes; i++) {
    const batch = Array.from({ length: 64 }, (_, k) => ({ ...template[k % template.length]!, sku: `SKU-${200000 + i * 64 + k}` }));
    order.items.push(...batch);
    bytes = toBinary(OrderSchema, order);
  }
  return bytes;
}
