/**
 * The fused Adam update of one tensor (torch.optim.Adam's step in one pass over the elements), for optimizers
 * built on chainrule: WebAssembly SIMD for arrays of at least `ADAM_SIMD_MIN` elements, and a TypeScript loop,
 * specialized per element type, as the reference and the fallback. Both round every step to the element type,
 * so they agree bit for bit.
 */
import { perDtype, pick } from './specialize.js';
import type { AdamArrays, AdamScalars } from './wasm/adamRunner.js';
import { wasmAdam } from './wasm/adamRunner.js';

export type { AdamArrays, AdamScalars } from './wasm/adamRunner.js';

/** Arrays shorter than this stay in the TypeScript loop (the copies into WebAssembly memory would dominate). */
export const ADAM_SIMD_MIN = 1024;

/** The reference loop; `round` is Math.fround for float32 and the identity for float64. */
function adamLoop(
  x: AdamArrays<Float32Array | Float64Array>,
  k: AdamScalars,
  round: (v: number) => number,
): void {
  const { p, g, m, v, outP, outM, outV } = x;
  const { oneMinusBeta1, beta2, oneMinusBeta2, epsilon, stepSize, correction2 } = k;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = round(m[i] + round(round(gi - m[i]) * oneMinusBeta1));
    const vi = round(round(v[i] * beta2) + round(round(gi * gi) * oneMinusBeta2));
    outM[i] = mi;
    outV[i] = vi;
    const denominator = round(round(round(Math.sqrt(vi)) / correction2) + epsilon);
    outP[i] = p[i] - round(round(mi / denominator) * stepSize);
  }
}

const loops = perDtype(adamLoop, 'adam');
const identity = (v: number): number => v;

/**
 * One Adam step over whole arrays of one element type: `outP`, `outM`, `outV` receive the new parameters and
 * moments (m' = m + (g − m)(1 − β₁), v' = β₂v + (1 − β₂)g², p' = p − s·m' / (√v' / c₂ + ε)). The scalars are
 * rounded to the element type first, as a float32 kernel would see them. `simd: false` forces the reference loop.
 */
export function adamUpdate(
  x: AdamArrays<Float32Array> | AdamArrays<Float64Array>,
  k: AdamScalars,
  simd = true,
): void {
  const wasm = simd && x.p.length >= ADAM_SIMD_MIN ? wasmAdam() : null;
  if (x.p instanceof Float32Array) {
    const scalars = roundScalars(k, Math.fround);
    if (wasm) wasm.float32(x as AdamArrays<Float32Array>, scalars);
    else pick(loops, x.p)(x, scalars, Math.fround);
  } else if (wasm) wasm.float64(x as AdamArrays<Float64Array>, k);
  else pick(loops, x.p)(x, k, identity);
}

function roundScalars(k: AdamScalars, round: (v: number) => number): AdamScalars {
  return {
    oneMinusBeta1: round(k.oneMinusBeta1),
    beta2: round(k.beta2),
    oneMinusBeta2: round(k.oneMinusBeta2),
    epsilon: round(k.epsilon),
    stepSize: round(k.stepSize),
    correction2: round(k.correction2),
  };
}
