// One stack of bench:over-grpc-js --isolated, in a process of its own: it
// runs a batch of the scenario the parent names and answers with the batch's
// wall and CPU seconds (this process's, all threads).
import { measure } from "./paired-rounds.mjs";
import { scenarios, startStack } from "./over-grpc-js-stacks.mjs";

const stack = await startStack(process.argv[2], { leaf: process.argv.includes("--leaf") });
// The parent gone (finished or failed), nothing is left to answer.
process.on("disconnect", () => process.exit(0));
process.on("message", async ({ scenario, stop }) => {
  if (stop) {
    await stack.stop();
    process.exit(0);
  }
  try {
    const { run } = scenarios.find((candidate) => candidate.id === scenario);
    process.send(await measure(() => run(stack)));
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });
