/**
 * Adam and AdamW, step for step as torch.optim.Adam / AdamW:
 *   m ← m + (1 − β₁)(g − m);  v ← β₂v + (1 − β₂)g²;
 *   p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
 * Adam's weight decay is coupled (g + λp); AdamW's is decoupled (p ← p(1 − lr·λ) before the step).
 */
import type { AdamArrays, Tensor, TypedArray } from '@chainrule/autograd';
import { adamUpdate, allocate, tensor } from '@chainrule/autograd';
import type { BaseOptions, Optimizer, RuleInput, RuleOutput } from './optimizer.js';
import { decayed, makeOptimizer } from './optimizer.js';

/** Options of `adam` and `adamw`. */
export interface AdamOptions extends BaseOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly weightDecay?: number;
}

/**
 * One Adam step for one tensor, fused into a single pass over its elements (instead of a dozen elementwise
 * ops, each with its own output array): the update runs inside noGrad, so there is no graph to keep.
 */
function adamStep(param: Tensor, grad: Tensor, input: RuleInput, options: AdamOptions): RuleOutput {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const { slots, lr, step } = input;
  const size = param.size;
  // Every element is written below: pooled arrays need no zero-fill.
  const [outP, outM, outV] = [0, 1, 2].map(() => allocate(param.dtype, size, false));
  const arrays = { p: param.data, g: grad.data, m: slots.m.data, v: slots.v.data, outP, outM, outV };
  adamUpdate(arrays as AdamArrays<Float32Array> | AdamArrays<Float64Array>, {
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    epsilon: options.epsilon ?? 1e-8,
    stepSize: lr / (1 - Math.pow(beta1, step)),
    correction2: Math.sqrt(1 - Math.pow(beta2, step)),
  });
  const like = (data: TypedArray) => tensor(data, { shape: param.shape });
  return { param: like(outP), slots: { m: like(outM), v: like(outV) } };
}

const moments = [{ name: 'm' }, { name: 'v' }];

/** Adam (default lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, coupled weight decay 0). */
export function adam(options: AdamOptions = {}): Optimizer {
  const weightDecay = options.weightDecay ?? 0;
  return makeOptimizer('adam', options, 1e-3, moments, (input) =>
    adamStep(input.param, decayed(input.grad, input.param, weightDecay), input, options),
  );
}

/** AdamW: Adam with decoupled weight decay (default λ 0.01, as PyTorch). */
export function adamw(options: AdamOptions = {}): Optimizer {
  const weightDecay = options.weightDecay ?? 0.01;
  return makeOptimizer('adamw', options, 1e-3, moments, (input) =>
    adamStep(input.param.mul(1 - input.lr * weightDecay), input.grad, input, options),
  );
}
