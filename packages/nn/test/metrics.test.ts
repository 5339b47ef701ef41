import { describe, expect, it } from 'vitest';
import { tensor } from '@chainrule/autograd';
import { metrics } from '../src/index.js';

describe('classification metrics', () => {
  // Rows' arg-max: 0, 1, 2, 1, 0, 2.
  const scores = tensor([
    [0.9, 0.05, 0.05],
    [0.1, 0.8, 0.1],
    [0.2, 0.2, 0.6],
    [0.3, 0.4, 0.3],
    [0.5, 0.4, 0.1],
    [0.1, 0.1, 0.8],
  ]);
  const labels = tensor(new Int32Array([0, 1, 1, 1, 2, 2]));

  it('accuracy from arg-max, int labels or one-hot', () => {
    expect(metrics.accuracy(scores, labels)).toBe(4 / 6);
    const oneHot = tensor([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect(metrics.accuracy(scores, oneHot)).toBe(4 / 6);
  });

  it('binary predictions use a threshold', () => {
    expect(metrics.accuracy(tensor([[0.2], [0.7], [0.51]]), tensor([[0], [1], [0]]))).toBe(2 / 3);
    expect(metrics.accuracy(tensor([-1, 2]), tensor([0, 1]), { threshold: 0 })).toBe(1);
  });

  it('confusion matrix: rows true, columns predicted', () => {
    expect(metrics.confusionMatrix(scores, labels)).toEqual([
      [1, 0, 0],
      [0, 2, 1],
      [1, 0, 1],
    ]);
  });

  it('per-class precision, recall and F1', () => {
    const r = metrics.precisionRecallF1(scores, labels);
    expect(r.precision).toEqual([1 / 2, 1, 1 / 2]);
    expect(r.recall).toEqual([1, 2 / 3, 1 / 2]);
    expect(r.support).toEqual([1, 3, 2]);
    r.f1.forEach((f, c) =>
      expect(f).toBeCloseTo((2 * r.precision[c] * r.recall[c]) / (r.precision[c] + r.recall[c]), 15),
    );
    // A class that is never predicted scores 0 rather than NaN.
    expect(metrics.precisionRecallF1(tensor([0, 0]), tensor([0, 1])).precision[1]).toBe(0);
  });
});

describe('regression metrics', () => {
  const p = tensor([2.5, 0, 2, 8]);
  const y = tensor([3, -0.5, 2, 7]);

  it('mse, rmse, mae and r² (scikit-learn’s example values)', () => {
    expect(metrics.mse(p, y)).toBe(0.375);
    expect(metrics.rmse(p, y)).toBe(Math.sqrt(0.375));
    expect(metrics.mae(p, y)).toBe(0.5);
    // sklearn.metrics.r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.9486081370449679.
    expect(metrics.r2(p, y)).toBeCloseTo(0.9486081370449679, 15);
  });

  it('size mismatches are ShapeErrors', () => {
    expect(() => metrics.mse(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      /mse: prediction \[2\] and target \[3\]/,
    );
  });
});
