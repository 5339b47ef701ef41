/**
 * Batch normalisation over the batch axis of [batch, features] inputs, with PyTorch's conventions:
 * training normalises with the batch mean and biased variance and folds them into running statistics,
 *   running ← (1 − momentum)·running + momentum·batch   (the variance unbiased, × n/(n − 1));
 * evaluation normalises with the running statistics. With `affine`, γ (init 1) and β (init 0) are learned.
 * The lecture's `batch_normalize(x, epsilon)` is `batchNorm(features, { affine: false, epsilon })` in training.
 */
import type { DType, Tensor } from '@chainrule/autograd';
import { ShapeError, formatShape, stopGradient } from '@chainrule/autograd';
import { constant } from '../init.js';
import type { LayerContext, Slot } from '../module.js';
import { Module, layerName } from '../module.js';
import { checkInput, checkWidth } from './dense.js';

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  /** Weight of the new batch in the running statistics (default 0.1, as PyTorch). */
  readonly momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  readonly epsilon?: number;
  /** Learn a scale γ and shift β (default true). */
  readonly affine?: boolean;
  /** Dtype of parameters and statistics (default float32). */
  readonly dtype?: DType;
}

function batchStatistics(x: Tensor, ctx: LayerContext, label: string, momentum: number) {
  const n = x.shape[0];
  if (n < 2) {
    throw new ShapeError(
      layerName(ctx.path, label),
      `training needs at least 2 examples per batch to estimate a variance, got input ${formatShape(x.shape)}`,
      'use a larger batch, or evaluation mode',
    );
  }
  const mean = x.mean(0);
  const centered = x.sub(mean);
  const variance = centered.square().mean(0);
  // The running statistics are values, not part of the loss: stopGradient keeps them out of the gradient
  // (and is recorded when fit's step is compiled, where a constant would be frozen).
  const m = stopGradient(mean);
  const v = stopGradient(variance).mul(n / (n - 1));
  ctx.setState(
    'runningMean',
    ctx
      .state('runningMean')
      .mul(1 - momentum)
      .add(m.mul(momentum)),
  );
  ctx.setState(
    'runningVar',
    ctx
      .state('runningVar')
      .mul(1 - momentum)
      .add(v.mul(momentum)),
  );
  return { centered, variance };
}

/** Normalises each feature over the batch; see the module comment for the exact rules. */
export function batchNorm(features: number, options: BatchNormOptions = {}): Module {
  checkWidth('batchNorm', 'features', features);
  const momentum = options.momentum ?? 0.1;
  const epsilon = options.epsilon ?? 1e-5;
  const affine = options.affine ?? true;
  const dtype = options.dtype ?? 'float32';
  if (!(momentum >= 0 && momentum <= 1) || !(epsilon > 0)) {
    throw new ShapeError(
      'batchNorm',
      `momentum ${momentum} must lie in [0, 1] and epsilon ${epsilon} must be positive`,
      'defaults: momentum 0.1, epsilon 1e-5',
    );
  }
  const label = `batchNorm(${features})`;
  const slot = (key: string, value: number): Slot => ({
    key,
    shape: [features],
    dtype,
    init: constant(value),
    fanIn: features,
    fanOut: features,
  });
  return new Module({
    spec: { type: 'batchNorm', features, momentum, epsilon, affine, dtype },
    label,
    params: affine ? [slot('gamma', 1), slot('beta', 0)] : [],
    state: [slot('runningMean', 0), slot('runningVar', 1)],
    inputFeatures: features,
    run: (x, ctx) => {
      checkInput(ctx, label, x, features, dtype);
      if (x.ndim !== 2) {
        throw new ShapeError(
          layerName(ctx.path, label),
          `input of shape ${formatShape(x.shape)} is not [batch, ${features}]`,
          'flatten the input first',
        );
      }
      const { centered, variance } = ctx.training
        ? batchStatistics(x, ctx, label, momentum)
        : { centered: x.sub(ctx.state('runningMean')), variance: ctx.state('runningVar') };
      const normalized = centered.div(variance.add(epsilon).sqrt());
      return affine ? normalized.mul(ctx.param('gamma')).add(ctx.param('beta')) : normalized;
    },
  });
}
