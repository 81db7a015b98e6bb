import { grpcJsRaw } from "./grpc-js-raw.js";
import type { Stack } from "./stack.js";
import { stubwright } from "./stubwright.js";

/** Every stack, keyed by its command-line id. The first is the baseline. */
export const stacks: Readonly<Record<string, Stack>> = {
  baseline: grpcJsRaw,
  stubwright,
};
