/**
 * Reductions over a set of axes.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { sizeOf, stridesOf } from '../tensor/shape.js';

export type ReduceKind = 'sum' | 'max' | 'min';

/**
 * Reduces x over `axes` (sorted, unique) into `out`, whose length is the product of the kept dimensions.
 * One pass over x; the output index advances by strides that are 0 on reduced axes.
 */
export function reduce(
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  kind: ReduceKind,
  out: TypedArray,
): TypedArray {
  const nd = shape.length;
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) reduced[a] = true;
  const kept = shape.filter((_, i) => !reduced[i]);
  const keptStrides = stridesOf(kept);
  const outStrides = new Array<number>(nd);
  for (let i = 0, k = 0; i < nd; i++) outStrides[i] = reduced[i] ? 0 : keptStrides[k++];
  out.fill(kind === 'sum' ? 0 : kind === 'max' ? -Infinity : Infinity);
  const n = sizeOf(shape);
  if (n === 0) return out;
  if (axes.length === nd) return reduceAll(x, kind, out);
  const idx = new Int32Array(nd);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (kind === 'sum') out[o] += v;
    else if (kind === 'max') {
      if (v > out[o] || Number.isNaN(v)) out[o] = v;
    } else if (v < out[o] || Number.isNaN(v)) out[o] = v;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      o += outStrides[d];
      if (idx[d] < shape[d]) break;
      o -= outStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

function reduceAll(x: TypedArray, kind: ReduceKind, out: TypedArray): TypedArray {
  let acc = out[0];
  if (kind === 'sum') for (let i = 0; i < x.length; i++) acc += x[i];
  else if (kind === 'max')
    for (let i = 0; i < x.length; i++) acc = x[i] > acc || Number.isNaN(x[i]) ? x[i] : acc;
  else for (let i = 0; i < x.length; i++) acc = x[i] < acc || Number.isNaN(x[i]) ? x[i] : acc;
  out[0] = acc;
  return out;
}
