/**
 * Batched matrix multiplication with optional transposed operands, so backward passes copy nothing.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { broadcastStrides, sizeOf, stridesOf } from '../tensor/shape.js';

/** One GEMM: C(m×n) = op(A)·op(B), where op(A) is m×k and op(B) is k×n; C must be zero-filled. */
export function gemm(
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
): void {
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
}

/**
 * Batched matmul: a is [...batchA, rowsA, colsA], b is [...batchB, rowsB, colsB]; batch dimensions broadcast
 * to `batch`. `out` is zero-filled with shape [...batch, m, n].
 */
export function matmul(
  a: TypedArray,
  aShape: Shape,
  transA: boolean,
  b: TypedArray,
  bShape: Shape,
  transB: boolean,
  batch: Shape,
  out: TypedArray,
): TypedArray {
  const ar = aShape.length;
  const br = bShape.length;
  const m = transA ? aShape[ar - 1] : aShape[ar - 2];
  const k = transA ? aShape[ar - 2] : aShape[ar - 1];
  const n = transB ? bShape[br - 2] : bShape[br - 1];
  const aBatch = aShape.slice(0, ar - 2);
  const bBatch = bShape.slice(0, br - 2);
  const count = sizeOf(batch);
  const sa = broadcastStrides(aBatch, batch);
  const sb = broadcastStrides(bBatch, batch);
  const outer = stridesOf(batch);
  for (let t = 0; t < count; t++) {
    let ia = 0;
    let ib = 0;
    let rest = t;
    for (let d = 0; d < batch.length; d++) {
      const i = Math.floor(rest / outer[d]);
      rest -= i * outer[d];
      ia += i * sa[d];
      ib += i * sb[d];
    }
    gemm(a, ia * m * k, transA, b, ib * k * n, transB, out, t * m * n, m, n, k);
  }
  return out;
}
