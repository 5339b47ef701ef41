/**
 * Loops of the softmax family along one axis, seen as an [outer, n, inner] block: each (outer, inner) pair is
 * one line of n elements, `inner` apart. Every line is shifted by its maximum (a non-finite maximum counts as
 * 0, so exp never overflows and ±Infinity and NaN propagate), and the sums of exponentials run in float64 in
 * index order. Specialized per element type, like the other loops (see `specialize.ts`).
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { sizeOf } from '../tensor/shape.js';
import { perDtype, pick } from './specialize.js';

/** out = x − max − log Σ exp(x − max) along each line (one rounding to out's type per element). */
function logSoftmaxLines(x: TypedArray, out: TypedArray, outer: number, n: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const first = o * n * inner + i;
      const end = first + n * inner;
      let max = -Infinity;
      for (let at = first; at < end; at += inner) {
        const v = x[at];
        if (v > max || v !== v) max = v;
      }
      if (max - max !== 0) max = 0; // ±Infinity or NaN
      let total = 0;
      for (let at = first; at < end; at += inner) total += Math.exp(x[at] - max);
      const lse = Math.log(total);
      for (let at = first; at < end; at += inner) out[at] = x[at] - max - lse;
    }
  }
}

/**
 * out = exp(x − max) / Σ exp(x − max) along each line: one exponential per element, kept in `scratch` (at least
 * n long) between the sum and the division.
 */
function softmaxLines(
  x: TypedArray,
  out: TypedArray,
  outer: number,
  n: number,
  inner: number,
  scratch: Float64Array,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const first = o * n * inner + i;
      const end = first + n * inner;
      let max = -Infinity;
      for (let at = first; at < end; at += inner) {
        const v = x[at];
        if (v > max || v !== v) max = v;
      }
      if (max - max !== 0) max = 0;
      let total = 0;
      for (let at = first, r = 0; at < end; at += inner, r++) {
        const e = Math.exp(x[at] - max);
        scratch[r] = e;
        total += e;
      }
      for (let at = first, r = 0; at < end; at += inner, r++) out[at] = scratch[r] / total;
    }
  }
}

/**
 * out[r] = log Σ exp(x[r, :]) − x[r, labels[r]] for each of `rows` rows of `classes` logits (labels checked by
 * the caller): −logSoftmax picked at the label, in float64 with one rounding.
 */
function crossEntropyRows(
  x: TypedArray,
  labels: Int32Array,
  out: TypedArray,
  rows: number,
  classes: number,
): void {
  for (let r = 0; r < rows; r++) {
    const first = r * classes;
    const end = first + classes;
    let max = -Infinity;
    for (let at = first; at < end; at++) {
      const v = x[at];
      if (v > max || v !== v) max = v;
    }
    if (max - max !== 0) max = 0;
    let total = 0;
    for (let at = first; at < end; at++) total += Math.exp(x[at] - max);
    out[r] = -(x[first + labels[r]] - max - Math.log(total));
  }
}

const logSoftmaxLoops = perDtype(logSoftmaxLines, 'logSoftmax');
const softmaxLoops = perDtype(softmaxLines, 'softmax');
const crossEntropyLoops = perDtype(crossEntropyRows, 'softmaxCrossEntropy');

/** log softmax of `x` (shape `shape`) along `axis` into `out` (same shape). */
export function logSoftmaxAlong(x: TypedArray, shape: Shape, axis: number, out: TypedArray): TypedArray {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  pick(logSoftmaxLoops, out)(x, out, outer, shape[axis], inner);
  return out;
}

/** softmax of `x` (shape `shape`) along `axis` into `out` (same shape). */
export function softmaxAlong(x: TypedArray, shape: Shape, axis: number, out: TypedArray): TypedArray {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  pick(softmaxLoops, out)(x, out, outer, shape[axis], inner, new Float64Array(shape[axis]));
  return out;
}

/** Softmax cross-entropy of each row of `x` ([rows, classes] in row-major order) with its integer label. */
export function crossEntropyAlongRows(
  x: TypedArray,
  labels: Int32Array,
  classes: number,
  out: TypedArray,
): TypedArray {
  pick(crossEntropyLoops, out)(x, labels, out, out.length, classes);
  return out;
}
