import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { getMessageCodec } from "@stubwright/runtime";
import { OrderSchema } from "./gen/es/bench_pb.js";
import { createOrder } from "./order-fixture.js";

const order = createOrder();
const codec = getMessageCodec(OrderSchema);
const bytes = toBinary(OrderSchema, order);
console.log("size", bytes.length, "compiled", codec.compiled);
const cases: [string, () => unknown][] = [
  ["es encode", () => toBinary(OrderSchema, order)],
  ["sw encode", () => codec.encode(order)],
  ["es decode", () => fromBinary(OrderSchema, bytes)],
  ["sw decode", () => codec.decode(bytes)],
];
const results = new Map<string, number[]>();
for (const [, f] of cases) for (let i = 0; i < 20000; i++) f();
for (let round = 0; round < 7; round++) {
  for (const [name, f] of cases) {
    const t0 = process.hrtime.bigint();
    let n = 0;
    while (process.hrtime.bigint() - t0 < 200_000_000n) { for (let i = 0; i < 500; i++) f(); n += 500; }
    const r = n / (Number(process.hrtime.bigint() - t0) / 1e9);
    results.set(name, [...(results.get(name) ?? []), r]);
  }
}
for (const [name, rs] of results) { rs.sort((a, b) => a - b); console.log(name, Math.round(rs[3]!)); }
