/**
 * The fused Adam update (`adam.ts`) on typed arrays of one element type.
 */
import type { ElementIsa } from './instructions.js';
import { f32Isa, f64Isa } from './instructions.js';
import type { Compiled } from './runtime.js';
import { compiled, copyIn, copyOut, layout } from './runtime.js';

/** The scalars of one Adam update (see `adam.ts` for the formula). */
export interface AdamScalars {
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  readonly epsilon: number;
  readonly stepSize: number;
  readonly correction2: number;
}

/** Arrays of one Adam update: parameters, gradients and moments in; new parameters and moments out. */
export interface AdamArrays<T> {
  readonly p: T;
  readonly g: T;
  readonly m: T;
  readonly v: T;
  readonly outP: T;
  readonly outM: T;
  readonly outV: T;
}

/** Runs the fused Adam update on typed arrays of one element type. */
export type AdamRunner<T> = (arrays: AdamArrays<T>, k: AdamScalars) => void;

function makeAdam<T extends Float32Array | Float64Array>(
  c: Compiled,
  isa: ElementIsa,
  suffix: string,
): AdamRunner<T> {
  const { exports } = c;
  const kernel = exports[`adam_${suffix}`];
  return (x, k) => {
    const arrays = [x.p, x.g, x.m, x.v, x.outP, x.outM, x.outV];
    const { ptrs } = layout(c, arrays, 0);
    for (let i = 0; i < 4; i++) copyIn(c, arrays[i], ptrs[i]);
    kernel(
      ...ptrs,
      x.p.length,
      k.oneMinusBeta1,
      k.beta2,
      k.oneMinusBeta2,
      k.epsilon,
      k.stepSize,
      k.correction2,
    );
    for (let i = 4; i < 7; i++) copyOut(c, ptrs[i], arrays[i]);
  };
}

/** The fused Adam updates per element type. */
export interface WasmAdam {
  readonly float32: AdamRunner<Float32Array>;
  readonly float64: AdamRunner<Float64Array>;
}

let adam: WasmAdam | null | undefined;

/** The Adam kernels, compiled on first use; null when WebAssembly SIMD is unavailable. */
export function wasmAdam(): WasmAdam | null {
  if (adam !== undefined) return adam;
  const c = compiled();
  adam = c && {
    float32: makeAdam<Float32Array>(c, f32Isa, 'f32'),
    float64: makeAdam<Float64Array>(c, f64Isa, 'f64'),
  };
  return adam;
}
