/**
 * Element-by-element comparison of an analytic derivative with a numeric one, under |a − n| ≤ atol + rtol·|n|.
 */
import type { Shape } from '../index.js';
import type { WorstElement } from './report.js';

/** Errors of one comparison and its worst element. */
export interface Comparison {
  readonly maxAbsError: number;
  readonly maxRelError: number;
  readonly worst: WorstElement | null;
  readonly passed: boolean;
}

/** Tolerances of a comparison. */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** Row-major multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return index;
}

/** True when |a − n| ≤ atol + rtol·|n| (false for any NaN or infinity). */
export function close(analytic: number, numeric: number, { atol, rtol }: Tolerance): boolean {
  return Math.abs(analytic - numeric) <= atol + rtol * Math.abs(numeric);
}

/**
 * Compares two arrays of the same length. The worst element is the one that exceeds its allowance by the
 * largest factor; a non-finite value on either side is always the worst and always fails.
 */
export function compareArrays(
  analytic: ArrayLike<number>,
  numeric: ArrayLike<number>,
  shape: Shape,
  tolerance: Tolerance,
): Comparison {
  let maxAbsError = 0;
  let maxRelError = 0;
  let worstRatio = -1;
  let worst: WorstElement | null = null;
  let passed = true;
  for (let i = 0; i < analytic.length; i++) {
    const a = analytic[i];
    const n = numeric[i];
    const abs = Math.abs(a - n);
    const scale = Math.max(Math.abs(a), Math.abs(n));
    const rel = abs === 0 ? 0 : abs / scale;
    const finite = Number.isFinite(a) && Number.isFinite(n);
    const ratio = finite ? abs / (tolerance.atol + tolerance.rtol * Math.abs(n)) : Infinity;
    maxAbsError = finite ? Math.max(maxAbsError, abs) : Infinity;
    maxRelError = finite ? Math.max(maxRelError, rel) : Infinity;
    if (!finite || !close(a, n, tolerance)) passed = false;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = { index: unravel(i, shape), analytic: a, numeric: n };
    }
  }
  return { maxAbsError, maxRelError, worst, passed };
}
