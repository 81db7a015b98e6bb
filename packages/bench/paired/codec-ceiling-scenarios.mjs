// The two scenarios of bench:codec-ceiling: the suite's (see src/scenarios.ts)
// whose targets are ratios to the protobuf-es baseline.

/** Unary 64 KiB echo: calls per batch, and how many are in flight. */
export const blobCalls = 400;
export const blobConcurrency = 10;
/** Server streaming: calls per batch, and small messages per call. */
export const streamCalls = 20;
export const streamLength = 1_000;

/** The scenarios, with the units a batch makes. */
export const scenarios = [
  { id: "blob", title: `unary 64 KiB, concurrency ${blobConcurrency}`, units: blobCalls, unit: "call" },
  { id: "stream", title: `server streaming, ${streamLength} small msgs/call`, units: streamCalls * streamLength, unit: "msg" },
];
