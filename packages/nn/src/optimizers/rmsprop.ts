/**
 * RMSprop, step for step as torch.optim.RMSprop:
 *   g ← g + λp;  s ← αs + (1 − α)g²;  (centered: a ← αa + (1 − α)g, s̃ = s − a²);
 *   d = g / (√s̃ + ε);  with momentum μ: b ← μb + d, p ← p − lr·b;  else p ← p − lr·d.
 */
import type { BaseOptions, Optimizer, SlotDef } from './optimizer.js';
import { decayed, makeOptimizer } from './optimizer.js';

/** Options of `rmsprop`. */
export interface RmspropOptions extends BaseOptions {
  /** Smoothing constant α (default 0.99). */
  readonly alpha?: number;
  readonly epsilon?: number;
  readonly momentum?: number;
  /** Normalise by the variance estimate instead of the raw second moment. */
  readonly centered?: boolean;
  readonly weightDecay?: number;
}

/** RMSprop (default lr 0.01, α 0.99, ε 1e-8). */
export function rmsprop(options: RmspropOptions = {}): Optimizer {
  const alpha = options.alpha ?? 0.99;
  const epsilon = options.epsilon ?? 1e-8;
  const momentum = options.momentum ?? 0;
  const weightDecay = options.weightDecay ?? 0;
  const slots: SlotDef[] = [{ name: 'square' }];
  if (options.centered) slots.push({ name: 'mean' });
  if (momentum) slots.push({ name: 'momentum' });
  return makeOptimizer('rmsprop', options, 0.01, slots, ({ param, grad: raw, slots: s, lr }) => {
    const grad = decayed(raw, param, weightDecay);
    const square = s.square.mul(alpha).add(grad.mul(grad).mul(1 - alpha));
    const mean = options.centered ? s.mean.mul(alpha).add(grad.mul(1 - alpha)) : undefined;
    const variance = mean ? square.sub(mean.mul(mean)) : square;
    const direction = grad.div(variance.sqrt().add(epsilon));
    const updated = { square, ...(mean ? { mean } : {}) };
    if (!momentum) return { param: param.sub(direction.mul(lr)), slots: updated };
    const buffer = s.momentum.mul(momentum).add(direction);
    return { param: param.sub(buffer.mul(lr)), slots: { ...updated, momentum: buffer } };
  });
}
