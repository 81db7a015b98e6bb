import { PerformanceObserver, constants } from "node:perf_hooks";

/** Garbage collections since the meter started: counts, and the time they took. */
export interface GcCounts {
  major: number;
  minor: number;
  /** Total duration of the GC pauses, in ms. */
  ms: number;
}

/** Counts this process's GCs (major: mark-compact; minor: scavenges) and sums their durations. */
export function startGcMeter(): { read(): GcCounts; stop(): void } {
  const counts: GcCounts = { major: 0, minor: 0, ms: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++;
      else counts.minor++;
      counts.ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return { read: () => ({ ...counts }), stop: () => observer.disconnect() };
}
