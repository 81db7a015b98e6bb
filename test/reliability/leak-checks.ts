import { setTimeout as sleep } from "node:timers/promises";
import type { MemoryFigure } from "./figures.js";

/** The kinds of active resources a section must give back: sockets, servers, child processes and their pipes, timers. */
const watched = ["TCPSocketWrap", "TCPServerWrap", "ProcessWrap", "PipeWrap", "Http2Session", "Timeout"];

/** How many resources of each watched kind keep this process alive now. */
export function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (watched.includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/**
 * Waits (up to `boundMs`) until no watched kind has more active resources
 * than in `baseline`; returns the kinds still above it, e.g. `["TCPSocketWrap: 2 > 0"]`.
 * Closing is asynchronous, so this polls; the bound only catches leaks.
 */
export async function handlesLeftAbove(baseline: Record<string, number>, boundMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const now = activeHandles();
    const excess = Object.entries(now)
      .filter(([kind, count]) => count > (baseline[kind] ?? 0))
      .map(([kind, count]) => `${kind}: ${count} > ${baseline[kind] ?? 0}`);
    if (excess.length === 0 || Date.now() > deadline) return excess;
    await sleep(100);
  }
}

/** The pids in `pids` whose process still exists. */
export function livingPids(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Heap and RSS growth beyond what a server may keep after its faults: after a
 * forced GC, each must stay within twice its value before plus a slack (8 MiB
 * of heap, 64 MiB of RSS), generous enough for caches and allocator noise but
 * not for a per-call leak. Returns a description of each excess.
 */
export function memoryGrowth(figure: MemoryFigure): string[] {
  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const problems: string[] = [];
  const heapLimit = 2 * figure.before.heapUsed + 8 * 2 ** 20;
  const rssLimit = 2 * figure.before.rss + 64 * 2 ** 20;
  if (figure.after.heapUsed > heapLimit) {
    problems.push(`${figure.server}: heap ${mib(figure.before.heapUsed)} -> ${mib(figure.after.heapUsed)} (limit ${mib(heapLimit)})`);
  }
  if (figure.after.rss > rssLimit) {
    problems.push(`${figure.server}: RSS ${mib(figure.before.rss)} -> ${mib(figure.after.rss)} (limit ${mib(rssLimit)})`);
  }
  return problems;
}
