import { PerformanceObserver, constants } from "node:perf_hooks";

/** Counts of garbage collections since the meter started. */
export interface GcCounts {
  major: number;
  minor: number;
}

/** Counts this process's GCs (major: mark-compact; minor: scavenges). */
export function startGcMeter(): { read(): GcCounts; stop(): void } {
  const counts: GcCounts = { major: 0, minor: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++;
      else counts.minor++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return { read: () => ({ ...counts }), stop: () => observer.disconnect() };
}
