/**
 * A small regression task that a big network overfits: a few noisy samples of a sine wave.
 */
import type { Seed } from '@chainrule/autograd';
import { DataError, Rng, tensor } from '@chainrule/autograd';
import type { Batch } from '@chainrule/nn';

/** Options of `noisySine`. */
export interface NoisySineOptions {
  /** Number of samples. */
  readonly n: number;
  /** The same seed gives bit-identical samples. */
  readonly seed: Seed;
  /** Standard deviation of the Gaussian noise added to y. */
  readonly noise: number;
}

/** The curve the samples come from: sin(2.5·x) on [−1, 1]. */
export function sineTarget(x: number): number {
  return Math.sin(2.5 * x);
}

/** x uniform on [−1, 1] and y = sin(2.5·x) + noise·ε, as float32 columns [n, 1]. */
export function noisySine(options: NoisySineOptions): Batch {
  const { n, noise } = options;
  if (!(Number.isInteger(n) && n > 0) || !(noise >= 0)) {
    throw new DataError(
      'noisySine',
      `n ${n} and noise ${noise} must be a positive integer and a non-negative number`,
      'e.g. { n: 24, noise: 0.3 }',
    );
  }
  const rng = new Rng(options.seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 2 * rng.uniform() - 1;
    y[i] = sineTarget(x[i]) + noise * rng.normal();
  }
  return { x: tensor(x, { shape: [n, 1] }), y: tensor(y, { shape: [n, 1] }) };
}
