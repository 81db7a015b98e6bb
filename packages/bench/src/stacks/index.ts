import { connectNode } from "./connect-node.js";
import { grpcJsCompiled } from "./grpc-js-compiled.js";
import { grpcJsCompiledAls } from "./grpc-js-compiled-als.js";
import { grpcJsNoCodec } from "./grpc-js-no-codec.js";
import { grpcJsRaw } from "./grpc-js-raw.js";
import { niceGrpc } from "./nice-grpc.js";
import { protoLoader } from "./proto-loader.js";
import type { Stack } from "./stack.js";
import { stubwright, stubwrightLeaf } from "./stubwright.js";
import { tsProtoGrpcJs } from "./ts-proto-grpc-js.js";

/** Every stack, keyed by its command-line id. The first is the baseline. */
export const stacks: Readonly<Record<string, Stack>> = {
  baseline: grpcJsRaw,
  stubwright,
  "stubwright-leaf": stubwrightLeaf,
  "grpc-js-compiled": grpcJsCompiled,
  "grpc-js-compiled-als": grpcJsCompiledAls,
  "grpc-js-no-codec": grpcJsNoCodec,
  "ts-proto": tsProtoGrpcJs,
  "nice-grpc": niceGrpc,
  connect: connectNode,
  "proto-loader": protoLoader,
};
