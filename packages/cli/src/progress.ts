/** Reports that a long run is still going. */
export interface ProgressReporter {
  /** Stops reporting; safe to call more than once. */
  stop(): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  /** Time between two lines; the first comes after one interval, so a short run prints nothing. */
  readonly intervalMs: number;
  /** Where a line goes (with its newline). */
  readonly write: (line: string) => void;
  /** What is going on, e.g. `generating`. */
  readonly activity: string;
}

/**
 * Prints `stubwright: still <activity> (N s)` every interval until stopped:
 * plain lines, no spinner, so logs and pipes stay readable.
 */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const startMs = Date.now();
  const timer = setInterval(() => {
    const seconds = ((Date.now() - startMs) / 1000).toFixed(1);
    options.write(`stubwright: still ${options.activity} (${seconds} s)\n`);
  }, options.intervalMs);
  return { stop: () => clearInterval(timer) };
}

const defaultIntervalMs = 2_000;

/** The progress interval: `STUBWRIGHT_PROGRESS_INTERVAL_MS` if set to a positive number, else 2 s. */
export function progressIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.STUBWRIGHT_PROGRESS_INTERVAL_MS);
  return Number.isFinite(value) && value > 0 ? value : defaultIntervalMs;
}
