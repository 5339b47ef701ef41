/**
 * Elementwise kernels on typed arrays: no graph knowledge, no allocation beyond the output.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { broadcastStrides, sameShape, sizeOf } from '../tensor/shape.js';

/** out[i] = fn(x[i]). */
export function mapUnary(x: TypedArray, out: TypedArray, fn: (v: number) => number): TypedArray {
  for (let i = 0; i < x.length; i++) out[i] = fn(x[i]);
  return out;
}

/**
 * out = fn(a, b) with NumPy broadcasting of `aShape` and `bShape` to `outShape`.
 * Fast paths for equal shapes and for a one-element operand; otherwise an odometer walk with strides.
 */
export function mapBinary(
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
  fn: (x: number, y: number) => number,
): TypedArray {
  const n = out.length;
  if (sameShape(aShape, bShape)) {
    for (let i = 0; i < n; i++) out[i] = fn(a[i], b[i]);
    return out;
  }
  if (b.length === 1 && a.length === n) {
    const bv = b[0];
    for (let i = 0; i < n; i++) out[i] = fn(a[i], bv);
    return out;
  }
  if (a.length === 1 && b.length === n) {
    const av = a[0];
    for (let i = 0; i < n; i++) out[i] = fn(av, b[i]);
    return out;
  }
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const nd = outShape.length;
  const idx = new Int32Array(nd);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < n; i++) {
    out[i] = fn(a[ia], b[ib]);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < outShape[d]) break;
      ia -= sa[d] * outShape[d];
      ib -= sb[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** out = cond ? a : b, all three broadcast to `outShape`. */
export function select(
  cond: TypedArray,
  condShape: Shape,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): TypedArray {
  const sc = broadcastStrides(condShape, outShape);
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const nd = outShape.length;
  const idx = new Int32Array(nd);
  let ic = 0;
  let ia = 0;
  let ib = 0;
  const n = sizeOf(outShape);
  for (let i = 0; i < n; i++) {
    out[i] = cond[ic] !== 0 ? a[ia] : b[ib];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      ic += sc[d];
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < outShape[d]) break;
      ic -= sc[d] * outShape[d];
      ia -= sa[d] * outShape[d];
      ib -= sb[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Copies with conversion between typed arrays (float64 → float32 rounds, float → int32 truncates). */
export function convert(x: TypedArray, out: TypedArray): TypedArray {
  if (out instanceof Int32Array) {
    for (let i = 0; i < x.length; i++) out[i] = Math.trunc(x[i]);
  } else {
    out.set(x);
  }
  return out;
}
