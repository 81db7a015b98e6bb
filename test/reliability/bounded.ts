/**
 * Resolves or rejects like `promise`, but rejects with "`what` did not settle
 * within `boundMs` ms" if it takes longer. The bound only catches hangs: it is
 * generous and never decides an outcome that a slower machine could change.
 */
export function within<T>(promise: Promise<T>, boundMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HangError(`${what} did not settle within ${boundMs} ms`)), boundMs);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The error {@link within} rejects with when its bound passes. */
export class HangError extends Error {
  override readonly name = "HangError";
}

/** Runs `task` for every item with at most `limit` in flight; resolves when all have settled. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
