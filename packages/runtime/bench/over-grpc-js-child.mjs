// One stack of bench:over-grpc-js --isolated, in a process of its own: it
// runs batches of the scenarios the parent names (see isolated-rounds.mjs).
import { serveBatches } from "./isolated-rounds.mjs";
import { scenarios, startStack } from "./over-grpc-js-stacks.mjs";

const stack = await startStack(process.argv[2], { leaf: process.argv.includes("--leaf") });
serveBatches(
  (id) => scenarios.find((scenario) => scenario.id === id).run(stack),
  () => stack.stop(),
);
