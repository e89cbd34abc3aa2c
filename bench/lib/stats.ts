/** Small statistics for interleaved rounds. */
export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** `+12%` / `-3%`: how far `value` is from `reference`. */
export const pct = (value: number, reference: number): string => (Number.isFinite(value / reference) ? `${value >= reference ? '+' : ''}${fmt((value / reference - 1) * 100)}%` : 'n/a');
