import { vi } from "vitest";

/**
 * How long a test or hook that runs other programs (buf, protoc, tsc, node)
 * may take. It only catches a hang: such a test takes seconds on an idle
 * machine and many times that on a loaded one.
 */
const programTestTimeoutMs = 300_000;

/**
 * How long one program a test runs may take before it is killed: well within
 * the test's own bound, so a hang fails the test naming the program.
 */
export const programTimeoutMs = 120_000;

/** Gives every test and hook of the calling file {@link programTestTimeoutMs}. */
export function allowTimeForPrograms(): void {
  vi.setConfig({ testTimeout: programTestTimeoutMs, hookTimeout: programTestTimeoutMs });
}
