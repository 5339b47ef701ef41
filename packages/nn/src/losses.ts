/**
 * Loss functions. Each takes (prediction, target, { reduction }) and returns a 0-d tensor for 'mean' (the
 * default) and 'sum', or the per-element / per-example losses for 'none'.
 *
 * Classification losses take logits by default (`fromLogits: true`), computed stably with logSoftmax /
 * softplus; pass `{ fromLogits: false }` for probabilities, which are clipped to [1e-7, 1 − 1e-7] first.
 */
import type { Tensor } from '@chainrule/autograd';
import {
  DataError,
  ShapeError,
  clip,
  formatShape,
  log,
  logSoftmax,
  minimum,
  oneHot,
  softmaxCrossEntropy,
  softplus,
  sum,
} from '@chainrule/autograd';

/** How per-element losses are combined. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of every loss. */
export interface LossOptions {
  readonly reduction?: Reduction;
}

/** Options of the classification losses. */
export interface ClassificationLossOptions extends LossOptions {
  /** The prediction is logits (default) rather than probabilities. */
  readonly fromLogits?: boolean;
}

/** A loss: prediction and target in, a scalar out (with the default reduction). */
export type Loss = (prediction: Tensor, target: Tensor) => Tensor;

/** Probabilities are clipped into [PROBABILITY_EPSILON, 1 − PROBABILITY_EPSILON] before a log (as Keras). */
export const PROBABILITY_EPSILON = 1e-7;

function reduce(losses: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (reduction === 'none') return losses;
  return reduction === 'sum' ? losses.sum() : losses.mean();
}

function sameShapes(where: string, prediction: Tensor, target: Tensor): Tensor {
  const same = prediction.ndim === target.ndim && prediction.shape.every((d, i) => d === target.shape[i]);
  if (!same) {
    throw new ShapeError(
      where,
      `prediction ${formatShape(prediction.shape)} and target ${formatShape(target.shape)} differ`,
      'give targets the prediction’s shape (e.g. reshape labels of [n] to [n, 1]); broadcasting here is almost always a bug',
    );
  }
  return target.dtype === prediction.dtype ? target : target.cast(prediction.dtype);
}

/** Mean squared error: mean((p − y)²). The lecture's [0.2, 0.7] vs [0, 1] gives 0.065. */
export function mse(prediction: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const y = sameShapes('mse', prediction, target);
  return reduce(prediction.sub(y).square(), options.reduction);
}

/** Mean absolute error: mean(|p − y|). */
export function mae(prediction: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const y = sameShapes('mae', prediction, target);
  return reduce(prediction.sub(y).abs(), options.reduction);
}

/** Huber loss: ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond (default δ = 1), written as ½q² + δ(|d| − q), q = min(|d|, δ). */
export function huber(
  prediction: Tensor,
  target: Tensor,
  options: LossOptions & { delta?: number } = {},
): Tensor {
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new ShapeError('huber', `delta must be positive, got ${delta}`, 'default is 1');
  const a = prediction.sub(sameShapes('huber', prediction, target)).abs();
  const q = minimum(a, delta);
  return reduce(q.square().mul(0.5).add(a.sub(q).mul(delta)), options.reduction);
}

/** Checks int32 class labels: one per row of predictions, each below the number of classes. */
function checkLabels(where: string, labels: Tensor, rows: number, classes: number): void {
  if (labels.ndim !== 1 || labels.shape[0] !== rows) {
    throw new ShapeError(
      where,
      `labels ${formatShape(labels.shape)} do not match ${rows} rows of predictions`,
      'pass one int32 class index per row, shape [batch]',
    );
  }
  // Labels traced by jit are checked by the ops that use them, at every call: their values here would be
  // only the first call's.
  if (labels.tracked) return;
  for (let i = 0; i < rows; i++) {
    const c = labels.data[i];
    if (!(c >= 0 && c < classes)) {
      throw new DataError(
        where,
        `label ${c} at row ${i} is out of range for ${classes} classes`,
        `labels must be integers in [0, ${classes - 1}]`,
      );
    }
  }
}

/** Checks that a classifier's prediction is [batch, classes]. */
function checkScores(where: string, prediction: Tensor): void {
  if (prediction.ndim !== 2) {
    throw new ShapeError(
      where,
      `prediction ${formatShape(prediction.shape)} is not [batch, classes]`,
      'pass one row of class scores per example',
    );
  }
}

/** log p of [batch, classes] logits or probabilities (clipped away from 0 and 1). */
function logProbabilities(prediction: Tensor, fromLogits: boolean): Tensor {
  return fromLogits
    ? logSoftmax(prediction, 1)
    : log(clip(prediction, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON));
}

/**
 * Categorical cross-entropy −Σ y·log p per example. Targets are int32 class labels [batch] or a float
 * distribution [batch, classes] (one-hot or soft). From logits with int32 labels it is one fused op
 * (`softmaxCrossEntropy`).
 */
export function crossEntropy(
  prediction: Tensor,
  target: Tensor,
  options: ClassificationLossOptions = {},
): Tensor {
  const where = 'crossEntropy';
  const fromLogits = options.fromLogits ?? true;
  checkScores(where, prediction);
  if (target.dtype === 'int32') {
    const [rows, classes] = prediction.shape;
    checkLabels(where, target, rows, classes);
    if (fromLogits) return reduce(softmaxCrossEntropy(prediction, target), options.reduction);
    // log p at each row's label: the one-hot rows of the labels (an op on them) times log p, summed.
    const picked = logProbabilities(prediction, false).mul(oneHot(target, classes, prediction.dtype));
    return reduce(sum(picked, 1).neg(), options.reduction);
  }
  const y = sameShapes(where, prediction, target);
  return reduce(sum(logProbabilities(prediction, fromLogits).mul(y), 1).neg(), options.reduction);
}

/**
 * Binary cross-entropy −(y·log p + (1 − y)·log(1 − p)) per element. From logits z it is the stable
 * softplus(z) − z·y.
 */
export function binaryCrossEntropy(
  prediction: Tensor,
  target: Tensor,
  options: ClassificationLossOptions = {},
): Tensor {
  const y = sameShapes('binaryCrossEntropy', prediction, target);
  if (options.fromLogits ?? true)
    return reduce(softplus(prediction).sub(prediction.mul(y)), options.reduction);
  const p = clip(prediction, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
  const losses = y
    .mul(log(p))
    .add(
      y
        .neg()
        .add(1)
        .mul(log(p.neg().add(1))),
    )
    .neg();
  return reduce(losses, options.reduction);
}
