/**
 * What the fast kernels use in this runtime, for reports and benchmarks.
 */
import { compiled } from './wasm/runtime.js';

/** The kernel layer's capabilities here. */
export interface KernelFeatures {
  /** WebAssembly SIMD kernels on shared memory (else the TypeScript loops run). */
  readonly webAssemblySimd: boolean;
  /**
   * The matrix products accumulate with relaxed SIMD's multiply-add (FMA where the CPU has it): on in Node ≥ 22
   * and current browsers, and in Node 20 started with `--experimental-wasm-relaxed-simd`.
   */
  readonly fusedMultiplyAdd: boolean;
}

/** Which fast paths the kernels take here (compiles the kernels if they were not yet). */
export function kernelFeatures(): KernelFeatures {
  const c = compiled();
  return { webAssemblySimd: c !== null, fusedMultiplyAdd: c?.fusedMultiplyAdd ?? false };
}
