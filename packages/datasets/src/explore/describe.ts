import type { Tensor } from '@chainrule/autograd';
import { ShapeError } from '@chainrule/autograd';
import { asMatrix, columnValues } from '../rows.js';

/** The statistics of `describe()`, named as pandas names them. */
export type DescribeStat = 'count' | 'mean' | 'std' | 'min' | '25%' | '50%' | '75%' | 'max';

/** The statistics, in pandas' row order. */
export const describeStats: readonly DescribeStat[] = [
  'count',
  'mean',
  'std',
  'min',
  '25%',
  '50%',
  '75%',
  'max',
];

/** Summary statistics per column, as pandas' `DataFrame.describe()`. */
export interface Description {
  /** Column names (given, or "0", "1", ...). */
  readonly columns: readonly string[];
  /** One value per column for each statistic: `stats.mean[j]`, `stats['25%'][j]`. */
  readonly stats: Readonly<Record<DescribeStat, Float64Array>>;
  /** A pandas-style table: statistics down, columns across, six decimals. */
  toString(): string;
}

/** Options of `describe()`. */
export interface DescribeOptions {
  /** One name per column (e.g. California's `featureNames`). */
  readonly names?: readonly string[];
}

/**
 * pandas' `describe()` for a [N, features] (or [N]) tensor, with pandas' definitions: NaN entries are
 * skipped; count is the number of the others; std is the sample standard deviation (ddof 1, NaN for a
 * single value); quartiles interpolate linearly between order statistics at position (count − 1)·q.
 */
export function describe(x: Tensor, options: DescribeOptions = {}): Description {
  const m = asMatrix('describe', x);
  const columns = options.names ?? Array.from({ length: m.cols }, (_, j) => String(j));
  if (columns.length !== m.cols) {
    throw new ShapeError(
      'describe',
      `${columns.length} names for ${m.cols} columns`,
      'give one name per column',
    );
  }
  const stats = Object.fromEntries(describeStats.map((s) => [s, new Float64Array(m.cols)])) as Record<
    DescribeStat,
    Float64Array
  >;
  for (let j = 0; j < m.cols; j++) {
    const values = columnValues(m, j)
      .filter((v) => !Number.isNaN(v))
      .sort();
    const n = values.length;
    let sum = 0;
    for (const v of values) sum += v;
    const mean = sum / n;
    let squares = 0;
    for (const v of values) squares += (v - mean) ** 2;
    stats.count[j] = n;
    stats.mean[j] = mean;
    stats.std[j] = Math.sqrt(squares / (n - 1));
    stats.min[j] = n > 0 ? values[0] : NaN;
    stats['25%'][j] = quantile(values, 0.25);
    stats['50%'][j] = quantile(values, 0.5);
    stats['75%'][j] = quantile(values, 0.75);
    stats.max[j] = n > 0 ? values[n - 1] : NaN;
  }
  return { columns, stats, toString: () => formatTable(columns, stats) };
}

/** NumPy's default ("linear") quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function formatTable(columns: readonly string[], stats: Record<DescribeStat, Float64Array>): string {
  const cells = describeStats.map((s) => [s, ...Array.from(stats[s], (v) => v.toFixed(6))]);
  const header = ['', ...columns];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), ...cells.map(line)].join('\n');
}
