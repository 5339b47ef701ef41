/**
 * Evaluation metrics: plain numbers computed from predictions and targets (no graph).
 *
 * Classification metrics read classes as follows. Predictions [n, C] with C > 1: the arg-max of each row
 * (logits or probabilities alike). Predictions [n] or [n, 1]: class 1 when the value is ≥ `threshold`
 * (default 0.5, for probabilities; use 0 for logits). Targets: int32 labels [n], one-hot / soft rows
 * [n, C] (arg-max), or 0/1 values [n] / [n, 1].
 */
import type { Tensor } from '@chainrule/autograd';
import { DataError, ShapeError, formatShape } from '@chainrule/autograd';

/** A metric: prediction and target in, a number out. */
export type Metric = (prediction: Tensor, target: Tensor) => number;

/** Options of the classification metrics. */
export interface ClassOptions {
  /** Decision threshold for single-column predictions (default 0.5). */
  readonly threshold?: number;
}

function rowsOf(t: Tensor): number {
  return t.ndim === 0 ? 1 : t.shape[0];
}

/** The class of each row: arg-max for [n, C>1], threshold for [n] / [n, 1], the value itself for int32. */
export function classesOf(t: Tensor, threshold = 0.5): Int32Array {
  const n = rowsOf(t);
  const columns = t.ndim === 2 ? t.shape[1] : 1;
  if (t.ndim > 2 || t.ndim === 0) {
    throw new ShapeError(
      'metrics',
      `cannot read classes from shape ${formatShape(t.shape)}`,
      'pass [n] or [n, C]',
    );
  }
  const out = new Int32Array(n);
  const d = t.data;
  for (let i = 0; i < n; i++) {
    if (t.dtype === 'int32' && columns === 1) out[i] = d[i];
    else if (columns === 1) out[i] = d[i] >= threshold ? 1 : 0;
    else {
      let best = 0;
      for (let j = 1; j < columns; j++) if (d[i * columns + j] > d[i * columns + best]) best = j;
      out[i] = best;
    }
  }
  return out;
}

function pairOfClasses(prediction: Tensor, target: Tensor, options: ClassOptions) {
  if (rowsOf(prediction) !== rowsOf(target)) {
    throw new ShapeError(
      'metrics',
      `prediction ${formatShape(prediction.shape)} and target ${formatShape(target.shape)} have different row counts`,
      'pass one target per prediction row',
    );
  }
  return { predicted: classesOf(prediction, options.threshold), actual: classesOf(target, 0.5) };
}

/** The fraction of rows whose predicted class equals the target class. */
export function accuracy(prediction: Tensor, target: Tensor, options: ClassOptions = {}): number {
  const { predicted, actual } = pairOfClasses(prediction, target, options);
  let hits = 0;
  for (let i = 0; i < actual.length; i++) if (predicted[i] === actual[i]) hits++;
  return actual.length ? hits / actual.length : 0;
}

function classCount(prediction: Tensor, predicted: Int32Array, actual: Int32Array): number {
  let k = prediction.ndim === 2 && prediction.shape[1] > 1 ? prediction.shape[1] : 2;
  for (let i = 0; i < actual.length; i++) k = Math.max(k, predicted[i] + 1, actual[i] + 1);
  return k;
}

/** counts[actual][predicted]: rows are true classes, columns predicted classes. */
export function confusionMatrix(
  prediction: Tensor,
  target: Tensor,
  options: ClassOptions & { classes?: number } = {},
): number[][] {
  const { predicted, actual } = pairOfClasses(prediction, target, options);
  const k = options.classes ?? classCount(prediction, predicted, actual);
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (!(a >= 0 && a < k && p >= 0 && p < k)) {
      throw new DataError(
        'confusionMatrix',
        `class ${a} / ${p} at row ${i} is outside [0, ${k - 1}]`,
        'check `classes`',
      );
    }
    counts[a][p]++;
  }
  return counts;
}

/** Per-class precision, recall, F1 and support; a class never predicted (or never present) scores 0. */
export interface ClassReport {
  readonly precision: number[];
  readonly recall: number[];
  readonly f1: number[];
  readonly support: number[];
}

/** Precision TP/(TP+FP), recall TP/(TP+FN) and F1 (their harmonic mean) for every class. */
export function precisionRecallF1(
  prediction: Tensor,
  target: Tensor,
  options: ClassOptions & { classes?: number } = {},
): ClassReport {
  const m = confusionMatrix(prediction, target, options);
  const ratio = (a: number, b: number) => (b ? a / b : 0);
  const precision = m.map((_, c) =>
    ratio(
      m[c][c],
      m.reduce((s, row) => s + row[c], 0),
    ),
  );
  const support = m.map((row) => row.reduce((s, v) => s + v, 0));
  const recall = m.map((row, c) => ratio(row[c], support[c]));
  const f1 = precision.map((p, c) => ratio(2 * p * recall[c], p + recall[c]));
  return { precision, recall, f1, support };
}

function residuals(
  where: string,
  prediction: Tensor,
  target: Tensor,
): { p: ArrayLike<number>; y: ArrayLike<number> } {
  if (prediction.size !== target.size || rowsOf(prediction) !== rowsOf(target)) {
    throw new ShapeError(
      where,
      `prediction ${formatShape(prediction.shape)} and target ${formatShape(target.shape)} differ in size`,
      'pass targets with one value per prediction',
    );
  }
  if (prediction.size === 0) throw new DataError(where, 'no values', 'pass at least one prediction');
  return { p: prediction.data, y: target.data };
}

/** Mean squared error as a number. */
export function mse(prediction: Tensor, target: Tensor): number {
  const { p, y } = residuals('mse', prediction, target);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2;
  return s / p.length;
}

/** Root mean squared error. */
export function rmse(prediction: Tensor, target: Tensor): number {
  return Math.sqrt(mse(prediction, target));
}

/** Mean absolute error as a number. */
export function mae(prediction: Tensor, target: Tensor): number {
  const { p, y } = residuals('mae', prediction, target);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - y[i]);
  return s / p.length;
}

/** Coefficient of determination 1 − SS_res / SS_tot (over all values; 0 when the target is constant). */
export function r2(prediction: Tensor, target: Tensor): number {
  const { p, y } = residuals('r2', prediction, target);
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < y.length; i++) {
    res += (y[i] - p[i]) ** 2;
    tot += (y[i] - mean) ** 2;
  }
  return tot ? 1 - res / tot : 0;
}

/** The metrics fit and evaluate know by name. */
export const namedMetrics = { accuracy, mse, rmse, mae, r2 } as const;

/** A metric name fit and evaluate understand. */
export type MetricName = keyof typeof namedMetrics;
