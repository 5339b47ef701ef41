import type { Seed, Tensor } from '@chainrule/autograd';
import { DataError, Rng, allocate, deriveSeed, tensor } from '@chainrule/autograd';
import type { FloatDType } from '../types.js';
import { checkInteger, checkNonNegative } from '../validate.js';

/** Options of `linearRegression()`. */
export interface LinearRegressionOptions {
  /** Number of samples. */
  readonly n: number;
  /** The same seed gives bit-identical samples. */
  readonly seed: Seed;
  /** Number of input features (default 1, or the length of `weights`). */
  readonly features?: number;
  /** True weights; default drawn from a standard normal (seeded). */
  readonly weights?: readonly number[];
  /** True bias (default 0). */
  readonly bias?: number;
  /** Standard deviation of the Gaussian noise added to y (default 0.1). */
  readonly noise?: number;
  /** Default float64. */
  readonly dtype?: FloatDType;
}

/** Samples of a noisy linear model and the true parameters that generated them. */
export interface LinearRegressionData {
  /** Inputs from a standard normal, shape [n, features]. */
  readonly x: Tensor;
  /** Targets x·w + b + noise·ε, shape [n]. */
  readonly y: Tensor;
  readonly weights: readonly number[];
  readonly bias: number;
}

/** A noisy linear regression problem y = x·w + b + noise·ε with ε standard normal, all seeded. */
export function linearRegression(options: LinearRegressionOptions): LinearRegressionData {
  const where = 'linearRegression';
  const n = checkInteger(where, 'n', options.n);
  const features = checkInteger(where, 'features', options.features ?? options.weights?.length ?? 1);
  const noise = checkNonNegative(where, 'noise', options.noise ?? 0.1);
  const bias = options.bias ?? 0;
  let weights = options.weights;
  if (weights && weights.length !== features) {
    throw new DataError(
      where,
      `${weights.length} weights given for ${features} features`,
      'give one weight per feature, or omit features',
    );
  }
  if (!weights) {
    const rng = new Rng(deriveSeed(options.seed, 'weights'));
    weights = Array.from({ length: features }, () => rng.normal());
  }
  const inputs = new Rng(deriveSeed(options.seed, 'x'));
  const eps = new Rng(deriveSeed(options.seed, 'noise'));
  const dtype = options.dtype ?? 'float64';
  const x = allocate(dtype, n * features);
  const y = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    let sum = bias;
    for (let j = 0; j < features; j++) {
      const v = inputs.normal();
      x[i * features + j] = v;
      sum += v * weights[j];
    }
    y[i] = sum + noise * eps.normal();
  }
  return { x: tensor(x, { shape: [n, features] }), y: tensor(y, { shape: [n] }), weights, bias };
}
