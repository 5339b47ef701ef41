/**
 * Inverted dropout, as the lecture's `apply_dropout`: in training each entry is kept with probability 1 − rate
 * and scaled by 1 / (1 − rate), so the expected activation is unchanged; in evaluation it is the identity.
 */
import type { Seed, Shape, Tensor } from '@chainrule/autograd';
import { Rng, ShapeError, tensor } from '@chainrule/autograd';
import { Module } from '../module.js';

/** The scaled Bernoulli mask: 1/(1 − rate) with probability 1 − rate, else 0, drawn from `seed`. */
export function dropoutMask(shape: Shape, rate: number, seed: Seed, dtype: 'float32' | 'float64'): Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const keep = 1 - rate;
  const scale = 1 / keep;
  for (let i = 0; i < n; i++) data[i] = rng.uniform() < keep ? scale : 0;
  return tensor(data, { shape });
}

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
      return x.mul(dropoutMask(x.shape, rate, ctx.seed(), dtype));
    },
  });
}
