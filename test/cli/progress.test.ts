import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProgressReporter, progressIntervalMs } from "../../packages/cli/src/progress.js";

/** The progress lines of a long `generate`, on a fake clock. */

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("progress reporter", () => {
  it("prints nothing for a short run, then a line per interval until stopped", () => {
    const lines: string[] = [];
    const progress = createProgressReporter({ intervalMs: 2_000, activity: "generating", write: (line) => lines.push(line) });
    vi.advanceTimersByTime(1_999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(4_001);
    expect(lines).toEqual(["stubwright: still generating (2.0 s)\n", "stubwright: still generating (4.0 s)\n", "stubwright: still generating (6.0 s)\n"]);
    progress.stop();
    progress.stop();
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(3);
  });

  it("takes its interval from STUBWRIGHT_PROGRESS_INTERVAL_MS when that is a positive number", () => {
    expect(progressIntervalMs({})).toBe(2_000);
    expect(progressIntervalMs({ STUBWRIGHT_PROGRESS_INTERVAL_MS: "250" })).toBe(250);
    expect(progressIntervalMs({ STUBWRIGHT_PROGRESS_INTERVAL_MS: "0" })).toBe(2_000);
    expect(progressIntervalMs({ STUBWRIGHT_PROGRESS_INTERVAL_MS: "soon" })).toBe(2_000);
  });
});
