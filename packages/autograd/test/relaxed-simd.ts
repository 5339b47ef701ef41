/**
 * Turns on relaxed SIMD in Node 20, where it is behind `--experimental-wasm-relaxed-simd` (Node ≥ 22 has it on).
 * V8 reads the flag when it validates a module, and the kernels compile on first use, so a test file that
 * imports this before anything runs a kernel gets the fused multiply-add GEMM.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-relaxed-simd');
