/** Small statistics helpers of the benchmark. */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** A difference with its sign: "+3.2", "−1.0". */
export const signed = (value: number, digits = 1): string => (value < 0 ? `−${fixed(-value, digits)}` : `+${fixed(value, digits)}`);
