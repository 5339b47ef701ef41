/**
 * Shared checks of the GEMM tests: random operands and the comparison of a fast product with the reference
 * loops within the rounding bound of a k-term sum.
 */
import { expect } from 'vitest';
import { Rng } from '../src/index.js';
import { gemmReference } from '../src/kernels/matmulReference.js';

/** Unit roundoff of each float type. */
const roundoff = { float32: 2 ** -24, float64: 2 ** -53 } as const;

export type FloatArray = Float32Array | Float64Array;

export interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  seed: number;
}

/** `length` values drawn uniformly from [−2, 2). */
export function filled(View: new (n: number) => FloatArray, length: number, rng: Rng): FloatArray {
  const out = new View(length);
  for (let i = 0; i < length; i++) out[i] = rng.uniform() * 4 - 2;
  return out;
}

/**
 * Checks a fast GEMM against the reference. Both sum k products in floating point, each with an error of at
 * most about k·u·Σ|a||b| (u = unit roundoff), so their difference stays below (2k + 2)·u·Σ_p |a_ip||b_pj|.
 */
export function expectMatchesReference(
  dtype: 'float32' | 'float64',
  c: Case,
  run: (a: FloatArray, b: FloatArray, out: FloatArray) => void,
) {
  const View: new (n: number) => FloatArray = dtype === 'float32' ? Float32Array : Float64Array;
  const rng = new Rng(c.seed);
  const a = filled(View, c.m * c.k, rng);
  const b = filled(View, c.k * c.n, rng);
  const fast = new View(c.m * c.n);
  const reference = new View(c.m * c.n);
  run(a, b, fast);
  const ref = gemmReference[dtype] as (...args: unknown[]) => void;
  ref(a, 0, c.transA, b, 0, c.transB, reference, 0, c.m, c.n, c.k);
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let magnitude = 0;
      for (let p = 0; p < c.k; p++) {
        const av = c.transA ? a[p * c.m + i] : a[i * c.k + p];
        const bv = c.transB ? b[j * c.k + p] : b[p * c.n + j];
        magnitude += Math.abs(av * bv);
      }
      const bound = (2 * c.k + 2) * roundoff[dtype] * magnitude;
      const diff = Math.abs(fast[i * c.n + j] - reference[i * c.n + j]);
      if (!(diff <= bound)) {
        expect.fail(`${dtype} ${JSON.stringify(c)}: C[${i},${j}] differs by ${diff}, bound ${bound}`);
      }
    }
  }
}

/** A GEMM on typed arrays: (a, aOff, transA, b, bOff, transB, c, cOff, m, n, k). */
export type GemmCall = (...args: unknown[]) => void;

/**
 * Expects `wide` (the product of op(A) and all of op(B)) to hold, column for column, the bits of products of A
 * with slices of `slice` columns of B (stored the way B is): what a narrower product computes must not
 * change with the width of the call.
 */
export function expectColumnsOfNarrowProducts(
  kernel: GemmCall,
  c: Case,
  a: FloatArray,
  b: FloatArray,
  wide: FloatArray,
  slice: number,
): void {
  const { m, n, k, transA, transB } = c;
  const View = b.constructor as new (n: number) => FloatArray;
  for (let j0 = 0; j0 < n; j0 += slice) {
    const w = Math.min(slice, n - j0);
    // Columns j0 … j0 + w − 1 of op(B), stored the same way as B.
    const part = new View(k * w);
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < w; j++) {
        part[transB ? j * k + p : p * w + j] = transB ? b[(j0 + j) * k + p] : b[p * n + j0 + j];
      }
    }
    const narrow = new View(m * w);
    kernel(a, 0, transA, part, 0, transB, narrow, 0, m, w, k);
    for (let i = 0; i < m; i++) {
      expect(wide.subarray(i * n + j0, i * n + j0 + w)).toEqual(narrow.subarray(i * w, (i + 1) * w));
    }
  }
}
