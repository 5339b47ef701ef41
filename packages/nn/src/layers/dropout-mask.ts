/**
 * The inverted-dropout mask drawn from a seed, shared by the dropout layer's context and the public API.
 */
import type { Seed, Shape, Tensor } from '@chainrule/autograd';
import { fillDropoutMask, tensor } from '@chainrule/autograd';

/** The scaled Bernoulli mask: 1/(1 − rate) with probability 1 − rate, else 0, drawn from `seed`. */
export function dropoutMask(shape: Shape, rate: number, seed: Seed, dtype: 'float32' | 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  fillDropoutMask(data, rate, seed);
  return tensor(data, { shape });
}
