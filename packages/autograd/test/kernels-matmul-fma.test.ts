/**
 * The whole GEMM suite again with relaxed SIMD on: the multiply-add form of the micro-kernel must meet the same
 * reference bounds and give the same bits on one thread and two, in every form of A, zeros skipped or not.
 */
import './relaxed-simd.js';
import { describe, expect, it } from 'vitest';
import { kernelFeatures } from '../src/index.js';
import './kernels-matmul.test.js';
import './kernels-matmul-zeros.test.js';

describe('GEMM with relaxed SIMD', () => {
  it('accumulates with the multiply-add', () => {
    expect(kernelFeatures()).toEqual({ webAssemblySimd: true, fusedMultiplyAdd: true });
  });
});
