import { getMessageCodec } from "@stubwright/runtime";
import { toBinary } from "@bufbuild/protobuf";
import { OrderSchema } from "./dist/src/gen/es/bench_pb.js";
import { createOrder } from "./dist/src/order-fixture.js";
const order = createOrder(); const codec = getMessageCodec(OrderSchema); const bytes = Buffer.from(toBinary(OrderSchema, order));
const mode = process.argv[2];
const t0 = Date.now(); while (Date.now() - t0 < 3000) for (let i = 0; i < 1000; i++) mode === "e" ? codec.encode(order) : codec.decode(bytes);
