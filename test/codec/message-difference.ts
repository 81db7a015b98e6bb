/**
 * Structural comparison, stricter than equals(): same own keys, same
 * prototypes, Object.is for primitives (NaN equals NaN, -0 differs from 0),
 * byte contents for Uint8Array. Returns the path of the first difference.
 */
export function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return path;
    return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0 ? undefined : path;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return `${path} (${String(a)} vs ${String(b)})`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path} (prototype)`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join() !== kb.join() && [...ka].sort().join() !== [...kb].sort().join()) return `${path} (keys ${ka.join()} vs ${kb.join()})`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}
