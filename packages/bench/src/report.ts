/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile of an ascending list (NaN when empty). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (value >= 1000) return Math.round(value).toLocaleString("en-US");
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

/**
 * A Markdown table: one row per metric, one column per stack, each figure
 * followed by its ratio to the first column. For "higher is better" rows the
 * ratio is value/baseline, otherwise baseline/value, so > 1.00× is always better.
 */
export function formatTable(title: string, columns: readonly string[], rows: readonly [string, number[], boolean][]): string {
  const lines = [`### ${title}`, "", `| metric | ${columns.join(" | ")} |`, `| --- | ${columns.map(() => "---:").join(" | ")} |`];
  for (const [metric, values, higherIsBetter] of rows) {
    const base = values[0]!;
    const cells = values.map((v, i) => {
      if (i === 0 || !Number.isFinite(v) || !Number.isFinite(base) || v === 0 || base === 0) return fmt(v);
      const ratio = higherIsBetter ? v / base : base / v;
      return `${fmt(v)} (${ratio.toFixed(2)}×)`;
    });
    lines.push(`| ${metric} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
