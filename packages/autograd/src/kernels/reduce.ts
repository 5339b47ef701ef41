/**
 * Reductions over a set of axes. After dropping axes of size 1, reduced axes that form one contiguous run
 * make the input an [outer, reduced, inner] block, walked with specialized loops per element type and kind
 * (summing a batch of rows into a bias gradient is then a row-by-row add); large float sums of such blocks,
 * at least a vector wide, run in WebAssembly SIMD (the same additions in the same order, so the same bits).
 * Other axis sets take a general strided walk.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { sizeOf, stridesOf } from '../tensor/shape.js';
import type { PerDtype } from './specialize.js';
import { perDtype, pick } from './specialize.js';
import { SIMD_MIN_ELEMENTS } from './elementwise.js';
import { wasmArithmetic } from './wasm/arithmeticRunner.js';

export type ReduceKind = 'sum' | 'max' | 'min';

/** Folds one value into an accumulator; max and min propagate NaN. */
type Combine = (acc: number, v: number) => number;

const combiners: Record<ReduceKind, Combine> = {
  sum: (acc, v) => acc + v,
  max: (acc, v) => (v > acc || Number.isNaN(v) ? v : acc),
  min: (acc, v) => (v < acc || Number.isNaN(v) ? v : acc),
};

/** The value each kind starts from; int32 cannot hold ±Infinity, so it starts from its extremes. */
function identity(kind: ReduceKind, out: TypedArray): number {
  if (kind === 'sum') return 0;
  const int = out instanceof Int32Array;
  return kind === 'max' ? (int ? -(2 ** 31) : -Infinity) : int ? 2 ** 31 - 1 : Infinity;
}

/** out[o·inner + i] = fold over r of x[(o·reduced + r)·inner + i]; `out` holds the identity on entry. */
function blockLoop(
  x: TypedArray,
  out: TypedArray,
  outer: number,
  reduced: number,
  inner: number,
  combine: Combine,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * reduced * inner;
    const dst = o * inner;
    if (inner === 1) {
      let acc = out[dst];
      for (let r = 0; r < reduced; r++) acc = combine(acc, x[base + r]);
      out[dst] = acc;
    } else {
      for (let r = 0; r < reduced; r++) {
        const src = base + r * inner;
        for (let i = 0; i < inner; i++) out[dst + i] = combine(out[dst + i], x[src + i]);
      }
    }
  }
}

/** Loops per kind and element type, each specialized so that each stays monomorphic. */
const blockLoops: Record<ReduceKind, PerDtype<typeof blockLoop>> = {
  sum: perDtype(blockLoop, 'reduce-sum'),
  max: perDtype(blockLoop, 'reduce-max'),
  min: perDtype(blockLoop, 'reduce-min'),
};

/** [outer, reduced, inner] when the reduced axes (ignoring size-1 axes) are one contiguous run, else null. */
function asBlock(shape: Shape, reduced: readonly boolean[]): [number, number, number] | null {
  let phase = 0; // 0: before the run, 1: inside it, 2: after it
  const sizes = [1, 1, 1];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    if (reduced[d]) {
      if (phase === 2) return null;
      phase = 1;
      sizes[1] *= shape[d];
    } else {
      if (phase === 1) phase = 2;
      sizes[phase === 0 ? 0 : 2] *= shape[d];
    }
  }
  return [sizes[0], sizes[1], sizes[2]];
}

/**
 * Reduces x over `axes` (sorted, unique) into `out`, whose length is the product of the kept dimensions.
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
  out.fill(identity(kind, out));
  if (sizeOf(shape) === 0) return out;
  const block = asBlock(shape, reduced);
  if (block) {
    const [outer, reducedCount, inner] = block;
    if (kind === 'sum' && inner >= 4 && x.length >= SIMD_MIN_ELEMENTS && sumRowsInWasm(x, out, block))
      return out;
    pick(blockLoops[kind], out)(x, out, outer, reducedCount, inner, combiners[kind]);
    return out;
  }
  return reduceStrided(x, shape, reduced, combiners[kind], out);
}

/** Sums a float block in WebAssembly when SIMD is available and x and out share their element type. */
function sumRowsInWasm(
  x: TypedArray,
  out: TypedArray,
  [outer, reduced, inner]: [number, number, number],
): boolean {
  const fast = wasmArithmetic();
  if (fast && x instanceof Float32Array && out instanceof Float32Array) {
    fast.sumRowsFloat32(x, out, outer, reduced, inner);
  } else if (fast && x instanceof Float64Array && out instanceof Float64Array) {
    fast.sumRowsFloat64(x, out, outer, reduced, inner);
  } else return false;
  return true;
}

/** The general walk: the output index advances by strides that are 0 on reduced axes. */
function reduceStrided(
  x: TypedArray,
  shape: Shape,
  reduced: readonly boolean[],
  combine: Combine,
  out: TypedArray,
): TypedArray {
  const nd = shape.length;
  const keptStrides = stridesOf(shape.filter((_, i) => !reduced[i]));
  const outStrides = new Array<number>(nd);
  for (let i = 0, k = 0; i < nd; i++) outStrides[i] = reduced[i] ? 0 : keptStrides[k++];
  const idx = new Int32Array(nd);
  let o = 0;
  for (let i = 0; i < x.length; i++) {
    out[o] = combine(out[o], x[i]);
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
