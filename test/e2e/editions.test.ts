import { create, isFieldSet, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { closeClient, createServer, type StubwrightServer } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventsClient, EventsDefinition, type EventsClient } from "../golden/ts/editions/v1/events_grpc.js";
import { createInventoryClient, InventoryDefinition, type InventoryClient } from "../golden/ts/editions/v1/inventory_grpc.js";
import { Grade, ItemSchema, type Item } from "../golden/ts/editions/v1/inventory_pb.js";

/** Which fields protobuf-es considers set on a received Item. */
function presence(item: Item) {
  const { name, limit, count, child, grade } = ItemSchema.field;
  return {
    name: isFieldSet(item, name),
    limit: isFieldSet(item, limit),
    count: isFieldSet(item, count),
    child: isFieldSet(item, child),
    grade: isFieldSet(item, grade),
  };
}

let server: StubwrightServer;
let inventory: InventoryClient;
let events: EventsClient;
beforeAll(async () => {
  server = createServer({ onError: () => {} })
    .add(InventoryDefinition, {
      inspect: (item) => presence(item),
      async *children(item) {
        for (let child = item.child; child !== undefined; child = child.child) {
          yield child;
        }
      },
      async count(items) {
        let last: Item | undefined;
        for await (const item of items) {
          last = item;
        }
        return last === undefined ? {} : presence(last);
      },
      async *echo(items) {
        yield* items;
      },
    })
    .add(EventsDefinition, {
      publish: (event) => ({ ...event, seq: event.seq + 1n }),
      async *tail(event) {
        for (let i = 1n; i <= 2n; i++) {
          yield { id: `${event.id}-${i}`, seq: i, at: timestampFromMs(Number(i) * 1000) };
        }
      },
    });
  const address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
  inventory = createInventoryClient(address);
  events = createEventsClient(address);
});
afterAll(() => {
  closeClient(inventory);
  closeClient(events);
  server.forceShutdown();
});

describe("edition 2023 over 127.0.0.1", () => {
  it("explicit presence survives the wire even for zero values; implicit presence does not", async () => {
    const seen = await inventory.inspect({ limit: 0, count: 0, name: "" });
    expect(seen).toMatchObject({ name: true, limit: true, count: false, child: false, grade: false });
    const unset = await inventory.inspect({});
    expect(unset).toMatchObject({ name: false, limit: false, count: false });
  });

  it("delimited (group-encoded) messages nest and stream back", async () => {
    const item = { name: "root", child: { name: "a", child: { name: "b", grade: Grade.B } } };
    // The delimited encoding is on the wire: field 5 as a start-group tag (5 << 3 | 3).
    expect(toBinary(ItemSchema, create(ItemSchema, item))).toContain((5 << 3) | 3);
    const names: string[] = [];
    for await (const child of inventory.children(item)) {
      names.push(child.name);
    }
    expect(names).toEqual(["a", "b"]);
  });

  it("client and bidi streaming keep expanded repeated fields and closed enums", async () => {
    const last = await inventory.count(fromArray([{ name: "x" }, { limit: 3, grade: Grade.A }]));
    expect(last).toMatchObject({ name: false, limit: true, grade: true });
    const echoed: Item[] = [];
    for await (const item of inventory.echo(fromArray([{ codes: [1, 2, 3], grade: Grade.A }]))) {
      echoed.push(item);
    }
    expect(echoed.map((item) => [item.codes, item.grade])).toEqual([[[1, 2, 3], Grade.A]]);
  });
});

describe("edition 2024 over 127.0.0.1", () => {
  it("unary and server streaming with a Timestamp field", async () => {
    const published = await events.publish({ id: "e", seq: 41n, at: timestampFromMs(5000) });
    expect(published.seq).toBe(42n);
    expect(timestampMs(published.at!)).toBe(5000);
    const tail: string[] = [];
    for await (const event of events.tail({ id: "e" })) {
      tail.push(`${event.id}@${timestampMs(event.at!)}`);
    }
    expect(tail).toEqual(["e-1@1000", "e-2@2000"]);
  });
});

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
