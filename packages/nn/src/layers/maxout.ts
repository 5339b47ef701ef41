/**
 * Maxout: k linear pieces x·Wⱼ + bⱼ and, per output unit, the largest of them.
 */
import type { DType } from '@chainrule/autograd';
import { ShapeError } from '@chainrule/autograd';
import type { Initializer } from '../init.js';
import { glorotUniform, zeros } from '../init.js';
import type { Slot } from '../module.js';
import { Module, layerName } from '../module.js';
import { checkInput, checkWidth } from './dense.js';

/** Options of `maxout`. */
export interface MaxoutOptions {
  readonly dtype?: DType;
  readonly weightInit?: Initializer;
  readonly biasInit?: Initializer;
}

/** A maxout layer from `inputs` to `units` features with `pieces` linear pieces per unit. */
export function maxout(inputs: number, units: number, pieces: number, options: MaxoutOptions = {}): Module {
  checkWidth('maxout', 'inputs', inputs);
  checkWidth('maxout', 'units', units);
  checkWidth('maxout', 'pieces', pieces);
  if (pieces < 2) {
    throw new ShapeError('maxout', `needs at least 2 pieces, got ${pieces}`, 'one piece is a dense layer');
  }
  const dtype = options.dtype ?? 'float32';
  const weightInit = options.weightInit ?? glorotUniform();
  const biasInit = options.biasInit ?? zeros();
  const label = `maxout(${inputs}→${units}, k=${pieces})`;
  const fans = { fanIn: inputs, fanOut: units, dtype };
  const params: Slot[] = [
    { key: 'weight', shape: [pieces, inputs, units], init: weightInit, ...fans },
    { key: 'bias', shape: [pieces, 1, units], init: biasInit, ...fans },
  ];
  return new Module({
    spec: {
      type: 'maxout',
      inputs,
      units,
      pieces,
      dtype,
      weightInit: weightInit.spec,
      biasInit: biasInit.spec,
    },
    label,
    params,
    inputFeatures: inputs,
    outputFeatures: () => units,
    run: (x, ctx) => {
      checkInput(ctx, label, x, inputs, dtype);
      if (x.ndim !== 2) {
        throw new ShapeError(
          layerName(ctx.path, label),
          `input must be [batch, ${inputs}]`,
          'flatten the input first',
        );
      }
      // [batch, inputs] @ [pieces, inputs, units] broadcasts to [pieces, batch, units].
      const z = x.matmul(ctx.param('weight')).add(ctx.param('bias'));
      return z.max(0);
    },
  });
}
