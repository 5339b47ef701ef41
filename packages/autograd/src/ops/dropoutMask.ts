/**
 * Inverted-dropout masks: 1/(1 − rate) where a uniform draw is below 1 − rate, else 0. `fillDropoutMask` draws
 * one from a seed. `keyedDropoutMask` records it as an op of an int32 key tensor, the seed being
 * `prefix/key[0]/key[1]/…/suffix`: a compiled function that takes the key as an argument then draws a new
 * mask at every call — the same mask, bit for bit, as the seed string gives eagerly. Not in the op table: it
 * has no derivative to check (its only operand is an integer key).
 */
import { DataError } from '../errors.js';
import type { Shape } from '../tensor/shape.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Seed } from '../tensor/random.js';
import { Rng } from '../tensor/random.js';
import { apply } from './apply.js';
import type { OpDef } from './types.js';

/** Fills `out` with an inverted-dropout mask drawn from `seed` (one uniform per element, in order). */
export function fillDropoutMask(out: Float32Array | Float64Array, rate: number, seed: Seed): void {
  if (!(rate >= 0 && rate < 1)) {
    throw new DataError('dropoutMask', `rate must be in [0, 1), got ${rate}`, 'e.g. 0.2 drops 20%');
  }
  const rng = new Rng(seed);
  const keep = 1 - rate;
  const scale = 1 / keep;
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform() < keep ? scale : 0;
}

/** Attributes of the keyed dropout mask. */
export interface KeyedMaskAttrs {
  readonly shape: Shape;
  readonly rate: number;
  readonly dtype: 'float32' | 'float64';
  readonly prefix: string;
  readonly suffix: string;
}

export const keyedDropoutMaskOp: OpDef<KeyedMaskAttrs> = {
  name: 'dropoutMask',
  arity: 1,
  operands: ['int'],
  writesAll: true,
  formula: { kind: 'call', name: 'dropoutMask' },
  describeAttrs: ({ rate, shape }) => `rate=${rate} ${formatShape(shape)}`,
  shape: (_shapes, { shape }) => shape,
  dtype: (_dtypes, { dtype }) => dtype,
  forward: ([key], { rate, prefix, suffix }, out) => {
    fillDropoutMask(out as Float32Array | Float64Array, rate, [prefix, ...key.data, suffix].join('/'));
    return out;
  },
  vjp: () => [null],
  jvp: () => null,
};

/**
 * An inverted-dropout mask of `shape` drawn from the seed `prefix/key…/suffix`, recorded as an op of the int32
 * `key` when the key is traced (so a compiled function draws a fresh mask per call from its key argument).
 */
export function keyedDropoutMask(
  key: Tensor,
  shape: Shape,
  rate: number,
  dtype: 'float32' | 'float64',
  prefix: string,
  suffix: string,
): Tensor {
  return apply(keyedDropoutMaskOp, [key], { shape: [...shape], rate, dtype, prefix, suffix });
}
