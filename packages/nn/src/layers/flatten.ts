/**
 * Flattens every axis after the first: [batch, 28, 28] → [batch, 784].
 */
import { ShapeError, formatShape } from '@chainrule/autograd';
import { Module, layerName } from '../module.js';

/** A layer that reshapes [batch, ...] to [batch, features]. */
export function flatten(): Module {
  return new Module({
    spec: { type: 'flatten' },
    label: 'flatten',
    outputFeatures: () => undefined,
    run: (x, ctx) => {
      if (x.ndim === 0) {
        throw new ShapeError(
          layerName(ctx.path, 'flatten'),
          `input of shape ${formatShape(x.shape)} has no batch axis`,
          'pass a batch of examples, shape [batch, ...]',
        );
      }
      return x.reshape([x.shape[0], x.size / Math.max(1, x.shape[0])]);
    },
  });
}
