import { fileURLToPath } from "node:url";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import protobufjs from "protobufjs";
import { compiledCodec } from "@stubwright/runtime/codec";
import { OrderSchema } from "./gen/es/bench_pb.js";
import { stubwright as pbjs } from "./gen/pbjs/bench.js";
import { Order as TsProtoOrder } from "./gen/ts-proto/bench.js";
import { createOrder } from "./order-fixture.js";
import { formatTable, median } from "./report.js";

// Codec micro-benchmark: encode and decode of the realistic Order message
// (see order-fixture.ts) with each library, in one process, alternating
// libraries for several rounds; figures are medians of operations per
// CPU-second. protobufjs runs twice: its static generated code, and the code
// it compiles at runtime from the loaded .proto (what @grpc/proto-loader uses).

const roundMs = Number(process.env.BENCH_CODEC_MS ?? 300);
const rounds = Number(process.env.BENCH_CODEC_ROUNDS ?? 7);

/**
 * Operations per second of CPU time (this process's user + system time),
 * which, unlike wall time, holds steady when other processes share the cores.
 */
function rate(op: () => unknown, ms: number): number {
  const end = performance.now() + ms;
  const cpu0 = process.cpuUsage();
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) op();
    n += 200;
  }
  const cpu = process.cpuUsage(cpu0);
  return n / ((cpu.user + cpu.system) / 1e6);
}

/** The micro-benchmark's results: its table (Markdown), and operations per CPU-second by library. */
export interface CodecBenchResult {
  readonly table: string;
  readonly rates: Record<string, { encode: number; decode: number }>;
}

/** Runs the micro-benchmark. */
export async function runCodecBench(): Promise<CodecBenchResult> {
  const order = createOrder();
  const bytes = toBinary(OrderSchema, order);
  const buffer = Buffer.from(bytes);
  const ours = compiledCodec.messageCodec(OrderSchema);
  const tsProto = TsProtoOrder.decode(bytes);
  const PbjsOrder = pbjs.bench.v1.Order;
  const pbjsOrder = PbjsOrder.decode(bytes);
  const protoFile = fileURLToPath(new URL("../../proto/bench.proto", import.meta.url));
  const ReflectOrder = protobufjs.loadSync(protoFile).lookupType("stubwright.bench.v1.Order");
  const reflectOrder = ReflectOrder.decode(bytes);
  // Every library must produce the same bytes, or the comparison is void.
  for (const [name, out] of [
    ["compiled", ours.encode(order)],
    ["ts-proto", TsProtoOrder.encode(tsProto).finish()],
    ["protobufjs", PbjsOrder.encode(pbjsOrder).finish()],
    ["protobufjs runtime-compiled", ReflectOrder.encode(reflectOrder).finish()],
  ] as const) {
    if (Buffer.compare(Buffer.from(out), buffer) !== 0) console.warn(`note: ${name} encodes the Order differently (${out.length} vs ${bytes.length} bytes)`);
  }
  const libraries: [string, () => unknown, () => unknown][] = [
    ["protobuf-es toBinary/fromBinary", () => toBinary(OrderSchema, order), () => fromBinary(OrderSchema, buffer)],
    ["Stubwright compiled codec", () => ours.encode(order), () => ours.decode(buffer)],
    ["ts-proto", () => TsProtoOrder.encode(tsProto).finish(), () => TsProtoOrder.decode(buffer)],
    ["protobufjs static", () => PbjsOrder.encode(pbjsOrder).finish(), () => PbjsOrder.decode(buffer)],
    ["protobufjs runtime-compiled", () => ReflectOrder.encode(reflectOrder).finish(), () => ReflectOrder.decode(buffer)],
  ];
  const encode = libraries.map((): number[] => []);
  const decode = libraries.map((): number[] => []);
  for (const [, enc, dec] of libraries) {
    rate(enc, 200);
    rate(dec, 200);
  }
  for (let round = 0; round < rounds; round++) {
    libraries.forEach(([, enc, dec], i) => {
      encode[i]!.push(rate(enc, roundMs));
      decode[i]!.push(rate(dec, roundMs));
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const table = formatTable(
    `codec: Order message (${bytes.length} bytes), operations per CPU-second`,
    libraries.map(([name]) => name),
    [
      ["encode", encode.map(median), true],
      ["decode", decode.map(median), true],
    ],
  );
  const rates = Object.fromEntries(libraries.map(([name], i) => [name, { encode: median(encode[i]!), decode: median(decode[i]!) }]));
  return { table, rates };
}

// Run directly: `node dist/src/codec-bench.js`.
if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  console.log((await runCodecBench()).table);
}
