/**
 * The softmax family along one axis, seen as an [outer, n, inner] block: each (outer, inner) pair is one line of
 * n elements, `inner` apart. Every line is shifted by its maximum (a non-finite maximum counts as 0, so exp never
 * overflows and ±Infinity and NaN propagate) and its exponentials are summed in float64 in index order. One loop
 * serves softmax, logSoftmax and the softmax cross-entropy, specialized per (use, element type) so that each
 * copy sees one branch and one array type (see `specialize.ts`).
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { sizeOf } from '../tensor/shape.js';
import { perDtype, pick } from './specialize.js';

/** What a line becomes: 0 softmax, 1 logSoftmax, 2 the cross-entropy at the line's label (one value per line). */
type LineUse = 0 | 1 | 2;

/**
 * softmax: out = exp(x − max) / Σ exp(x − max), the exponentials kept in `scratch` (n long) for the division;
 * logSoftmax: out = x − max − log Σ exp(x − max); cross-entropy:
 * out[line] = −(x[label] − max − log Σ exp(x − max)) with the line's label from `labels`. One rounding to out's
 * type per value.
 */
function normalizeLines(
  use: LineUse,
  x: TypedArray,
  out: TypedArray,
  outer: number,
  n: number,
  inner: number,
  scratch: Float64Array,
  labels: Int32Array | null,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const line = o * inner + i;
      const first = o * n * inner + i;
      const end = first + n * inner;
      let max = -Infinity;
      for (let at = first; at < end; at += inner) {
        const v = x[at];
        if (v > max || v !== v) max = v;
      }
      if (max - max !== 0) max = 0; // ±Infinity or NaN
      let total = 0;
      for (let at = first, r = 0; at < end; at += inner, r++) {
        const e = Math.exp(x[at] - max);
        scratch[r] = e;
        total += e;
      }
      if (use === 0) {
        for (let at = first, r = 0; at < end; at += inner, r++) out[at] = scratch[r] / total;
      } else if (use === 1) {
        const lse = Math.log(total);
        for (let at = first; at < end; at += inner) out[at] = x[at] - max - lse;
      } else {
        out[line] = -(x[first + (labels as Int32Array)[line] * inner] - max - Math.log(total));
      }
    }
  }
}

/** The specialized copies by use (the index is the `LineUse`). */
const loops = [
  perDtype(normalizeLines, 'softmax'),
  perDtype(normalizeLines, 'logSoftmax'),
  perDtype(normalizeLines, 'softmaxCrossEntropy'),
];

/**
 * Room for the exponentials of one line, reused from call to call (the loops are synchronous and never nest);
 * lines longer than SHARED_LINE get an array of their own, so a huge axis does not stay allocated.
 */
const SHARED_LINE = 4096;
const sharedScratch = new Float64Array(SHARED_LINE);

function alongAxis(
  use: LineUse,
  x: TypedArray,
  shape: Shape,
  axis: number,
  out: TypedArray,
  labels: Int32Array | null,
): TypedArray {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const n = shape[axis];
  const scratch = n <= SHARED_LINE ? sharedScratch : new Float64Array(n);
  pick(loops[use], out)(use, x, out, outer, n, inner, scratch, labels);
  return out;
}

/** softmax of `x` (shape `shape`) along `axis` into `out` (same shape). */
export const softmaxAlong = (x: TypedArray, shape: Shape, axis: number, out: TypedArray): TypedArray =>
  alongAxis(0, x, shape, axis, out, null);

/** log softmax of `x` (shape `shape`) along `axis` into `out` (same shape). */
export const logSoftmaxAlong = (x: TypedArray, shape: Shape, axis: number, out: TypedArray): TypedArray =>
  alongAxis(1, x, shape, axis, out, null);

/**
 * Softmax cross-entropy of each row of `x` (`shape`, classes along the last axis) with its integer label (labels
 * checked by the caller) into `out` (one value per row).
 */
export const crossEntropyAlongRows = (
  x: TypedArray,
  shape: Shape,
  labels: Int32Array,
  out: TypedArray,
): TypedArray => alongAxis(2, x, shape, shape.length - 1, out, labels);
