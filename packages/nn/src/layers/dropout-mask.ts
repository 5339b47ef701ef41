/**
 * The inverted-dropout mask drawn from a seed, shared by the dropout layer's context and the public API.
 */
import type { Seed, Shape, Tensor } from '@chainrule/autograd';
import { fillDropoutMask, sizeOf, tensor } from '@chainrule/autograd';

/** The scaled Bernoulli mask: 1/(1 − rate) with probability 1 − rate, else 0, drawn from `seed`. */
export function dropoutMask(shape: Shape, rate: number, seed: Seed, dtype: 'float32' | 'float64'): Tensor {
  const data = dtype === 'float32' ? new Float32Array(sizeOf(shape)) : new Float64Array(sizeOf(shape));
  fillDropoutMask(data, rate, seed);
  return tensor(data, { shape });
}
