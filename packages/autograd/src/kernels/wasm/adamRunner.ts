/**
 * The fused Adam update (`adam.ts`) on typed arrays of one element type.
 */
import type { ElementIsa } from './instructions.js';
import { f32Isa, f64Isa } from './instructions.js';
import type { Compiled } from './runtime.js';
import { compiled, copyIn, copyOut, layout, threadKernels } from './runtime.js';
import { chooseHelper, recordCall } from './threadUse.js';

/**
 * Updates of at least this many float32 elements may be split with the helper thread (2¹⁵; the MNIST hidden
 * layer has 100,352). Splitting pays more than the update's own time suggests: when the gradient came from a
 * two-thread matmul, half of its cache lines sit in the other core's cache, and reading them from the calling
 * thread made the update 2.5x slower (0.21 against 0.085 ms per MNIST step). Split, the update took 0.14 ms
 * and the MNIST epoch fell from 0.84 to 0.70 s.
 */
export const ADAM_THREAD_MIN = 1 << 15;

/**
 * How many times faster one thread must measure before an update runs on it alone. A split update leaves
 * half of the new parameters and moments in each core's cache, where the next step's split products read
 * them, which the update's own time does not show: with `auto` the chooser ran ~17% of the MNIST hidden
 * layer's updates on one thread, and in alternating runs of the bench's MNIST loop, requiring one thread to be
 * twice as fast made the median epoch faster in three of four pairs (0.656 against 0.669 s, 0.702 / 0.714,
 * 0.665 / 0.684; 0.672 against 0.646 in the fourth), and always splitting in six of seven. The bias still
 * hands the update to one thread when the other core is busy enough to double its time.
 */
export const ADAM_THREAD_BIAS = 2;

const floatView = new Float32Array(1);
const bitsView = new Int32Array(floatView.buffer);

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

/** @internal Exported for tests (a stand-in helper). */
export function makeAdam<T extends Float32Array | Float64Array>(
  c: Compiled,
  isa: ElementIsa,
  suffix: string,
): AdamRunner<T> {
  const { exports, helper } = c;
  const kernel = exports[`adam_${suffix}`];
  // Only the float32 update has a variant the helper can run (its job arguments are i32: float32 scalars pass
  // as their bit patterns; float64 ones would need i64).
  const helperIndex = threadKernels.indexOf(`adam_${suffix}_bits`);
  const bitsOf = (value: number) => ((floatView[0] = value), bitsView[0]);
  return (x, k) => {
    const arrays = [x.p, x.g, x.m, x.v, x.outP, x.outM, x.outV];
    const { ptrs } = layout(c, arrays, 0);
    for (let i = 0; i < 4; i++) copyIn(c, arrays[i], ptrs[i]);
    const n = x.p.length;
    const scalars = [k.oneMinusBeta1, k.beta2, k.oneMinusBeta2, k.epsilon, k.stepSize, k.correction2];
    const eligible = helperIndex >= 0 && n >= ADAM_THREAD_MIN;
    const key = eligible ? `adam ${suffix} ${n}` : '';
    const partner = eligible ? chooseHelper(helper, key, ADAM_THREAD_BIAS) : null;
    const started = performance.now();
    // The helper takes the second half, from a cache-line boundary (16 float32 elements).
    const mine = partner ? Math.floor(n / 32) * 16 : n;
    const secondHalf = partner ? ptrs.map((ptr) => ptr + mine * isa.bytes) : [];
    partner?.start(helperIndex, [...secondHalf, n - mine, ...scalars.map(bitsOf)]);
    kernel(...ptrs, mine, ...scalars);
    const outcome = partner?.finish();
    // The helper had not started its half (it was asleep or busy): the calling thread does it.
    if (outcome === 'reclaimed') kernel(...secondHalf, n - mine, ...scalars);
    if (outcome === 'failed') {
      // Only a bug in the kernels gets here; the helper is retired and the update cannot be trusted.
      throw new Error("adam: the helper thread failed; setKernelThreads('never') runs single-threaded");
    }
    if (eligible) recordCall(key, partner !== null, started);
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
