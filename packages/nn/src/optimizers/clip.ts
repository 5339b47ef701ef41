/**
 * Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_: with n = ‖(‖g₁‖, ‖g₂‖, …)‖₂, every
 * gradient is multiplied by min(1, maxNorm / (n + 1e-6)).
 */
import type { Tensor } from '@chainrule/autograd';
import { ChainruleError, noGrad } from '@chainrule/autograd';
import type { Params } from '../types.js';

/** The global L2 norm of a gradient tree. */
export function globalNorm(grads: Params): number {
  let squares = 0;
  for (const g of grads.values()) {
    const n = Math.sqrt(g.square().sum().item());
    squares += n * n;
  }
  return Math.sqrt(squares);
}

/** Gradients rescaled so their global norm is at most `maxNorm`, and the norm before clipping. */
export function clipByGlobalNorm(grads: Params, maxNorm: number): { grads: Params; norm: number } {
  if (!(maxNorm > 0)) {
    throw new ChainruleError('clipByGlobalNorm', `maxNorm must be positive, got ${maxNorm}`, 'e.g. 1.0');
  }
  return noGrad(() => {
    const norm = globalNorm(grads);
    const scale = Math.min(1, maxNorm / (norm + 1e-6));
    return { grads: grads.map((g: Tensor) => g.mul(scale)), norm };
  });
}
