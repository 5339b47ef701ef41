/**
 * Batched matrix multiplication with optional transposed operands, so backward passes copy nothing.
 * Float products large enough to amortise the copy into WebAssembly memory run in the SIMD kernels of
 * `wasm/` (on two threads where that measured faster, see `wasm/runtime.ts`); the rest (and int32) run in the
 * reference loops of `matmulReference.ts`.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { broadcastStrides, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Gemm } from './matmulReference.js';
import { gemmReference } from './matmulReference.js';
import { wasmGemms } from './wasm/gemmRunner.js';

/** Products with fewer multiply-adds (m·n·k) than this stay in plain TypeScript. */
export const WASM_MIN_WORK = 2048;

/**
 * One GEMM: C(m×n) = op(A)·op(B), where op(A) is m×k and op(B) is k×n; C's previous contents are ignored.
 * All three arrays have the same element type (the ops guarantee it).
 */
export const gemm: Gemm = (a, aOff, transA, b, bOff, transB, c, cOff, m, n, k) => {
  if (m === 0 || n === 0) return;
  const fast = m * n * k >= WASM_MIN_WORK ? wasmGemms() : null;
  // The SIMD kernel overwrites C; the reference loops accumulate into it, and k = 0 leaves it alone.
  if (!fast || k === 0) c.fill(0, cOff, cOff + m * n);
  if (k === 0) return;
  if (c instanceof Float32Array) {
    const run = fast ? fast.f32 : gemmReference.float32;
    run(a as Float32Array, aOff, transA, b as Float32Array, bOff, transB, c, cOff, m, n, k);
  } else if (c instanceof Float64Array) {
    const run = fast ? fast.f64 : gemmReference.float64;
    run(a as Float64Array, aOff, transA, b as Float64Array, bOff, transB, c, cOff, m, n, k);
  } else {
    gemmReference.int32(a as Int32Array, aOff, transA, b as Int32Array, bOff, transB, c, cOff, m, n, k);
  }
};

/**
 * Batched matmul: a is [...batchA, rowsA, colsA], b is [...batchB, rowsB, colsB]; batch dimensions broadcast
 * to `batch`. `out` has shape [...batch, m, n]; whatever it held is overwritten.
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
