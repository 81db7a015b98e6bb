// Preloaded (`--import`) by `profile.mjs` in allocation mode: samples every allocation of the process,
// including objects the GC has since collected (what `--heap-prof` leaves out), and writes the sampling
// profile to $STUBWRIGHT_ALLOC_PROFILE when the process exits.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const out = process.env.STUBWRIGHT_ALLOC_PROFILE;
if (out !== undefined) {
  const session = new Session();
  session.connect();
  session.post("HeapProfiler.startSampling", {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  // An inspector session in the same thread answers synchronously, so this completes inside "exit".
  process.on("exit", () => {
    session.post("HeapProfiler.stopSampling", (error, result) => {
      if (error === null) writeFileSync(out, JSON.stringify(result.profile));
    });
  });
}
