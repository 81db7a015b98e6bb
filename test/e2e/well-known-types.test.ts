import { create, toJson } from "@bufbuild/protobuf";
import {
  anyPack,
  anyUnpack,
  BoolValueSchema,
  ListValueSchema,
  StringValueSchema,
  timestampDate,
  timestampFromMs,
  timestampMs,
  ValueSchema,
  type Value,
} from "@bufbuild/protobuf/wkt";
import { closeClient, createServer, type StubwrightServer } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWellKnownClient, WellKnownDefinition, type WellKnownClient, type WellKnownHandlers } from "../golden/ts/wkt/v1/wkt_grpc.js";

/** Handlers that use the well-known types' helpers, one per call kind. */
const handlers: WellKnownHandlers = {
  ping: () => ({}),
  now: () => timestampFromMs(Date.now()),
  async *ticks(period) {
    const step = Number(period.seconds) * 1000 + period.nanos / 1e6;
    for (let i = 0; i < 3; i++) {
      yield timestampFromMs(i * step);
    }
  },
  async sum(values) {
    let total = 0n;
    for await (const value of values) {
      total += value.value;
    }
    return { value: total };
  },
  async *pick(structs) {
    for await (const struct of structs) {
      yield struct.fields.value ?? { kind: { case: "nullValue", value: 0 } };
    }
  },
  join: (mask) => ({ value: mask.paths.join(",") }),
  pack: (text) => anyPack(StringValueSchema, text),
  async *flags(flags) {
    const seen: Value[] = [];
    for await (const flag of flags) {
      seen.push(create(ValueSchema, { kind: { case: "boolValue", value: flag.value } }));
      yield { values: [...seen] };
    }
  },
};

let server: StubwrightServer;
let client: WellKnownClient;
beforeAll(async () => {
  server = createServer({ onError: () => {} }).add(WellKnownDefinition, handlers);
  client = createWellKnownClient(`127.0.0.1:${await server.listen("127.0.0.1:0")}`);
});
afterAll(() => {
  closeClient(client);
  server.forceShutdown();
});

describe("well-known types as request and response types, over 127.0.0.1", () => {
  it("unary Empty -> Empty and Empty -> Timestamp", async () => {
    expect((await client.ping({})).$typeName).toBe("google.protobuf.Empty");
    const before = Date.now();
    const now = await client.now({});
    expect(now.$typeName).toBe("google.protobuf.Timestamp");
    expect(timestampMs(now)).toBeGreaterThanOrEqual(before - 1000);
    expect(timestampDate(now)).toBeInstanceOf(Date);
  });

  it("server streaming Duration -> stream Timestamp", async () => {
    const ms: number[] = [];
    for await (const tick of client.ticks({ seconds: 1n, nanos: 500_000_000 })) {
      ms.push(timestampMs(tick));
    }
    expect(ms).toEqual([0, 1500, 3000]);
  });

  it("client streaming stream Int64Value -> Int64Value", async () => {
    const sum = await client.sum(fromArray([{ value: 1n }, { value: 2n ** 40n }, { value: -3n }]));
    expect(sum.value).toBe(2n ** 40n - 2n);
  });

  it("bidi streaming stream Struct -> stream Value", async () => {
    const values: unknown[] = [];
    const structs = [
      { fields: { value: { kind: { case: "stringValue" as const, value: "a" } } } },
      { fields: { value: { kind: { case: "numberValue" as const, value: 2 } } } },
      { fields: {} },
    ];
    for await (const value of client.pick(fromArray(structs))) {
      values.push(value.kind.value);
    }
    expect(values).toEqual(["a", 2, 0]);
  });

  it("FieldMask -> StringValue and StringValue -> Any", async () => {
    expect((await client.join({ paths: ["a.b", "c"] })).value).toBe("a.b,c");
    const any = await client.pack({ value: "packed" });
    expect(any.typeUrl).toBe("type.googleapis.com/google.protobuf.StringValue");
    expect(anyUnpack(any, StringValueSchema)?.value).toBe("packed");
  });

  it("bidi streaming stream BoolValue -> stream ListValue", async () => {
    const lists: unknown[] = [];
    for await (const list of client.flags(fromArray([create(BoolValueSchema, { value: true }), { value: false }]))) {
      lists.push(toJson(ListValueSchema, list));
    }
    expect(lists).toEqual([[true], [true, false]]);
  });
});

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
