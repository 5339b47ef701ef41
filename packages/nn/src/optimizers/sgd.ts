/**
 * Stochastic gradient descent with optional momentum (heavy ball or Nesterov) and weight decay, step for step
 * as torch.optim.SGD (dampening 0):
 *   d = g + λp;  b ← μb + d (b₁ = d);  d ← d + μb (Nesterov) or b;  p ← p − lr·d.
 */
import { ChainruleError } from '@chainrule/autograd';
import type { BaseOptions, Optimizer } from './optimizer.js';
import { decayed, makeOptimizer } from './optimizer.js';

/** Options of `sgd`. */
export interface SgdOptions extends BaseOptions {
  /** Momentum μ (default 0: plain gradient descent). */
  readonly momentum?: number;
  /** Nesterov's look-ahead momentum (needs momentum > 0). */
  readonly nesterov?: boolean;
  /** Coupled weight decay λ: adds λ·p to the gradient (default 0). */
  readonly weightDecay?: number;
}

/** Gradient descent: p ← p − lr·∇J (default lr 0.01), optionally with momentum. */
export function sgd(options: SgdOptions = {}): Optimizer {
  const momentum = options.momentum ?? 0;
  const weightDecay = options.weightDecay ?? 0;
  if (options.nesterov && !(momentum > 0)) {
    throw new ChainruleError(
      'sgd',
      'Nesterov momentum needs momentum > 0',
      'e.g. { momentum: 0.9, nesterov: true }',
    );
  }
  const name = options.nesterov ? 'sgd(nesterov)' : momentum ? 'sgd(momentum)' : 'sgd';
  return makeOptimizer(
    name,
    options,
    0.01,
    momentum ? [{ name: 'momentum' }] : [],
    ({ param, grad, slots, lr }) => {
      const d = decayed(grad, param, weightDecay);
      if (!momentum) return { param: param.sub(d.mul(lr)) };
      const buffer = slots.momentum.mul(momentum).add(d);
      const direction = options.nesterov ? d.add(buffer.mul(momentum)) : buffer;
      return { param: param.sub(direction.mul(lr)), slots: { momentum: buffer } };
    },
  );
}
