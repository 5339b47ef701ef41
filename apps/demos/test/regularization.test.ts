import { DataError, tensor } from '@chainrule/autograd';
import { describe, expect, it } from 'vitest';
import { noisySine } from '../src/lab/noisy-sine.js';
import { compareRegularizers, studySettings } from '../src/lab/regularization-study.js';
import { weightStats } from '../src/lab/weight-stats.js';

describe('noisySine', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = noisySine({ n: 16, noise: 0.3, seed: 5 });
    const b = noisySine({ n: 16, noise: 0.3, seed: 5 });
    const c = noisySine({ n: 16, noise: 0.3, seed: 6 });
    expect(a.x.data).toEqual(b.x.data);
    expect(a.y.data).toEqual(b.y.data);
    expect(a.x.data).not.toEqual(c.x.data);
    expect(a.x.shape).toEqual([16, 1]);
    for (const x of a.x.data) expect(Math.abs(x)).toBeLessThanOrEqual(1);
  });

  it('without noise lies on sin(2.5x)', () => {
    const { x, y } = noisySine({ n: 8, noise: 0, seed: 1 });
    // float32 storage: sin is evaluated in float64, then both are rounded to float32 (≤ 1 ulp ≈ 6e-8).
    x.data.forEach((v, i) => expect(y.data[i]).toBeCloseTo(Math.sin(2.5 * v), 6));
  });

  it('rejects an empty sample and negative noise', () => {
    expect(() => noisySine({ n: 0, noise: 0.3, seed: 1 })).toThrow(DataError);
    expect(() => noisySine({ n: 4, noise: -1, seed: 1 })).toThrow(DataError);
  });
});

describe('weightStats', () => {
  it('sums the weight matrices only, by hand', () => {
    const params = new Map(
      Object.entries({
        '0.weight': tensor([
          [1, -2],
          [0, 0.0005],
        ]),
        '0.bias': tensor([100, 100]),
        '1.gamma': tensor([7, 7]),
        '2.weight': tensor([[-3]]),
      }),
    );
    const stats = weightStats(params);
    // Exact sums of five float64 values; toBeCloseTo at 12 digits only absorbs summation rounding.
    expect(stats.l1).toBeCloseTo(1 + 2 + 0 + 0.0005 + 3, 12);
    expect(stats.l2).toBeCloseTo(Math.sqrt(1 + 4 + 0 + 0.0005 ** 2 + 9), 12);
    expect(stats.count).toBe(5);
    expect(stats.nearZero).toBe(2 / 5);
    expect(weightStats(params, 1.5).nearZero).toBe(3 / 5);
  });
});

describe('compareRegularizers', () => {
  it('is bit-identical for the same seed', async () => {
    const [a, b] = [await compareRegularizers(3, 4), await compareRegularizers(3, 4)];
    expect(a).toEqual(b);
  });

  it('rejects zero epochs', async () => {
    await expect(compareRegularizers(3, 0)).rejects.toThrow(/epochs must be at least 1/);
  });

  it('shows overfitting without regularization, and L1, L2 and dropout preventing it', async () => {
    const results = await compareRegularizers(42, 250);
    const [none, lasso, ridge, drop, norm] = results;
    expect(results.map((r) => r.name)).toEqual([
      'none',
      `L1 (λ = ${studySettings.l1Lambda})`,
      `L2 (λ = ${studySettings.l2Lambda})`,
      `dropout (${studySettings.dropoutRate})`,
      'batch norm',
    ]);
    const noiseVariance = studySettings.noise ** 2;
    // The plain network fits the noise: training error far below the noise variance 0.09 (0.028 measured),
    // validation error well above its own early minimum (0.136 vs 0.098 measured).
    expect(none.trainLoss).toBeLessThan(noiseVariance / 2);
    expect(none.validationLoss).toBeGreaterThan(1.2 * none.bestValidationLoss);
    expect(none.bestEpoch).toBeLessThan(200);
    // The regularized networks stay near the noise floor (≈ 0.099 measured), clearly below the plain one.
    for (const r of [lasso, ridge, drop]) {
      expect(r.validationLoss).toBeLessThan(none.validationLoss - 0.02);
      expect(r.trainLoss).toBeGreaterThan(noiseVariance);
    }
    // L1 makes the network sparse (91% of |w| < 1e-3 measured) and both penalties shrink the weights
    // (√Σw² ≈ 2.9 and 2.4 against 15 for the plain network).
    expect(lasso.weights.nearZero).toBeGreaterThan(0.8);
    expect(none.weights.nearZero).toBeLessThan(0.05);
    for (const r of [lasso, ridge]) expect(r.weights.l2).toBeLessThan(none.weights.l2 / 3);
    // Batch norm with full batches is no regularizer: it fits below the noise floor (0.050 measured), where the
    // regularized networks stay above it, and validates worse than each of them (0.197 measured).
    expect(norm.trainLoss).toBeLessThan(noiseVariance);
    for (const r of [lasso, ridge, drop])
      expect(norm.validationLoss).toBeGreaterThan(r.validationLoss + 0.02);
  });
});
