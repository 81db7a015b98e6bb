/** One name wanted by one proto element. */
export interface NameClaim {
  /**
   * Which claim is served first when several want the same name: lower
   * first, then by `owner`. Both come from the element itself, never from
   * where it is declared, so reordering a .proto file renames nothing.
   */
  readonly rank: number;
  /** The proto name of the element; unique among claims of the same rank. */
  readonly owner: string;
  /** The names to try, best first. */
  readonly candidates: readonly [string, ...string[]];
}

/**
 * Gives every claim a distinct name: the first of its candidates that no
 * claim served earlier took, else its first candidate with the lowest free
 * `$n` suffix (`$` cannot occur in a proto name). Returns the names in the
 * order of `claims`.
 */
export function claimNames(claims: readonly NameClaim[]): string[] {
  const taken = new Set<string>();
  const names = new Array<string>(claims.length);
  const order = claims.map((claim, index) => ({ claim, index })).sort((a, b) => compareClaims(a.claim, b.claim));
  for (const { claim, index } of order) {
    let name = claim.candidates.find((candidate) => !taken.has(candidate));
    for (let i = 1; name === undefined; i++) {
      const suffixed = `${claim.candidates[0]}$${i}`;
      name = taken.has(suffixed) ? undefined : suffixed;
    }
    taken.add(name);
    names[index] = name;
  }
  return names;
}

/** By rank, then by owner in code-unit order (not locale order, which varies by machine). */
function compareClaims(a: NameClaim, b: NameClaim): number {
  if (a.rank !== b.rank) {
    return a.rank - b.rank;
  }
  return a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0;
}
