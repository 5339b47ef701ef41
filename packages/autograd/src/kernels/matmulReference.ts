/**
 * The reference GEMM in plain TypeScript: simple loops, one per transpose combination. It is the oracle the
 * SIMD kernels are tested against and the path for tiny products, where calling into WebAssembly costs more
 * than it saves. Each element type gets its own specialized copy of the loops (`specialize.ts`), because V8
 * compiles a function fed both Float32Array and Float64Array into slower polymorphic code.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { PerDtype } from './specialize.js';
import { perDtype } from './specialize.js';

/** One GEMM: C(m×n) = op(A)·op(B), where op(A) is m×k and op(B) is k×n; C must be zero-filled. */
export type Gemm = (
  a: TypedArray,
  aOff: number,
  transA: boolean,
  b: TypedArray,
  bOff: number,
  transB: boolean,
  c: TypedArray,
  cOff: number,
  m: number,
  n: number,
  k: number,
) => void;

const gemmLoops: Gemm = (a, aOff, transA, b, bOff, transB, c, cOff, m, n, k) => {
  if (!transA && !transB) {
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * n;
      for (let p = 0; p < k; p++) {
        const av = a[aOff + i * k + p];
        const bp = bOff + p * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  } else if (!transA && transB) {
    for (let i = 0; i < m; i++) {
      const ai = aOff + i * k;
      for (let j = 0; j < n; j++) {
        const bj = bOff + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[cOff + i * n + j] = s;
      }
    }
  } else if (transA && !transB) {
    for (let p = 0; p < k; p++) {
      const bp = bOff + p * n;
      for (let i = 0; i < m; i++) {
        const av = a[aOff + p * m + i];
        const ci = cOff + i * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[aOff + p * m + i] * b[bOff + j * k + p];
        c[cOff + i * n + j] = s;
      }
    }
  }
};

/** The reference GEMM for each element type (specialized copies, so each stays monomorphic). */
export const gemmReference: PerDtype<Gemm> = perDtype(gemmLoops, 'gemm-reference');
