/**
 * Adagrad, step for step as torch.optim.Adagrad:
 *   g ← g + λp;  s ← s + g²;  p ← p − (lr / (1 + (t − 1)·decay)) · g / (√s + ε).
 */
import type { BaseOptions, Optimizer } from './optimizer.js';
import { decayed, makeOptimizer } from './optimizer.js';

/** Options of `adagrad`. */
export interface AdagradOptions extends BaseOptions {
  readonly epsilon?: number;
  /** Learning-rate decay per update (default 0). */
  readonly lrDecay?: number;
  /** Initial value of the squared-gradient sum (default 0). */
  readonly initialAccumulator?: number;
  readonly weightDecay?: number;
}

/** Adagrad (default lr 0.01, ε 1e-10). */
export function adagrad(options: AdagradOptions = {}): Optimizer {
  const epsilon = options.epsilon ?? 1e-10;
  const lrDecay = options.lrDecay ?? 0;
  const weightDecay = options.weightDecay ?? 0;
  const slots = [{ name: 'sum', initial: options.initialAccumulator ?? 0 }];
  return makeOptimizer('adagrad', options, 0.01, slots, ({ param, grad: raw, slots: s, lr, step }) => {
    const grad = decayed(raw, param, weightDecay);
    const sum = s.sum.add(grad.mul(grad));
    const rate = lr / (1 + (step - 1) * lrDecay);
    return { param: param.sub(grad.div(sum.sqrt().add(epsilon)).mul(rate)), slots: { sum } };
  });
}
