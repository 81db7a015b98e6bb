// Preloaded with --require (and --expose-gc) into every server process the
// reliability suite starts: answers { type: "memory" } over IPC with the RSS and
// heap after two forced GCs, and exits when the suite disconnects, so a server
// never outlives it.
"use strict";

process.on("message", (message) => {
  if (message && message.type === "memory") {
    global.gc?.();
    global.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send?.({ type: "memory", rss, heapUsed });
  }
});
process.on("disconnect", () => process.exit(0));
