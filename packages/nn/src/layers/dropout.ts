/**
 * Inverted dropout, as the lecture's `apply_dropout`: in training each entry is kept with probability 1 − rate
 * and scaled by 1 / (1 − rate), so the expected activation is unchanged; in evaluation it is the identity.
 */
import { ShapeError } from '@chainrule/autograd';
import { Module } from '../module.js';

export { dropoutMask } from './dropout-mask.js';

/** Drops each entry with probability `rate` in training mode (seeded), identity in evaluation. */
export function dropout(rate: number): Module {
  if (!(rate >= 0 && rate < 1)) {
    throw new ShapeError('dropout', `rate must be in [0, 1), got ${rate}`, 'e.g. dropout(0.2) drops 20%');
  }
  return new Module({
    spec: { type: 'dropout', rate },
    label: `dropout(${rate})`,
    run: (x, ctx) => {
      if (!ctx.training || rate === 0) return x;
      const dtype = x.dtype === 'float32' ? 'float32' : 'float64';
      return x.mul(ctx.dropoutMask(x.shape, rate, dtype));
    },
  });
}
