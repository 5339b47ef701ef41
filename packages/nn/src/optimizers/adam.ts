/**
 * Adam and AdamW, step for step as torch.optim.Adam / AdamW:
 *   m ← m + (1 − β₁)(g − m);  v ← β₂v + (1 − β₂)g²;
 *   p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
 * Adam's weight decay is coupled (g + λp); AdamW's is decoupled (p ← p(1 − lr·λ) before the step).
 */
import type { Tensor } from '@chainrule/autograd';
import type { BaseOptions, Optimizer, RuleInput, RuleOutput } from './optimizer.js';
import { decayed, makeOptimizer } from './optimizer.js';

/** Options of `adam` and `adamw`. */
export interface AdamOptions extends BaseOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly weightDecay?: number;
}

function adamStep(param: Tensor, grad: Tensor, input: RuleInput, options: AdamOptions): RuleOutput {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  const { slots, lr, step } = input;
  const m = slots.m.add(grad.sub(slots.m).mul(1 - beta1));
  const v = slots.v.mul(beta2).add(grad.mul(grad).mul(1 - beta2));
  const stepSize = lr / (1 - Math.pow(beta1, step));
  const denominator = v
    .sqrt()
    .div(Math.sqrt(1 - Math.pow(beta2, step)))
    .add(epsilon);
  return { param: param.sub(m.div(denominator).mul(stepSize)), slots: { m, v } };
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
