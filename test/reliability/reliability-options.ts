import { createRandom } from "../codec/random-message.js";

/** How run.mjs asked the suite to run (environment variables, so they reach every test file). */
export interface ReliabilityOptions {
  /** The seed every section derives its random plan from. */
  readonly seed: number;
  /** Rounds per section relative to the CI run: 1 in CI, more with `--soak`. */
  readonly scale: number;
  /** Where sections write their figures for run.mjs to print; undefined when vitest runs the files directly. */
  readonly figuresDir: string | undefined;
}

/** The options of this run. */
export const reliabilityOptions: ReliabilityOptions = {
  seed: Number(process.env.STUBWRIGHT_RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31)),
  scale: Number(process.env.STUBWRIGHT_RELIABILITY_SCALE ?? 1),
  figuresDir: process.env.STUBWRIGHT_RELIABILITY_FIGURES,
};

/** `count` rounds scaled for this run (soak runs more). */
export function rounds(count: number): number {
  return Math.max(1, Math.round(count * reliabilityOptions.scale));
}

/** A seeded PRNG for one section: the same seed and section give the same plan. */
export function sectionRandom(section: string): () => number {
  let hash = reliabilityOptions.seed >>> 0;
  for (const char of section) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  }
  return createRandom(hash);
}

/** Helpers over a PRNG: integers in a range and picks from a list. */
export function randomTools(random: () => number) {
  return {
    /** An integer in [min, max]. */
    int: (min: number, max: number): number => min + Math.floor(random() * (max - min + 1)),
    /** One of `items`. */
    pick: <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!,
    /** True with probability `p`. */
    chance: (p: number): boolean => random() < p,
  };
}
