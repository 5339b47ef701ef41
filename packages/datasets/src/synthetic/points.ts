import type { Seed } from '@chainrule/autograd';
import { Rng, allocate, deriveSeed, tensor } from '@chainrule/autograd';
import type { FloatDType, Samples } from '../types.js';

/** Options shared by the 2-D classification generators. */
export interface PointCloudOptions {
  /** Number of samples in total. */
  readonly n: number;
  /** The same seed gives bit-identical samples. */
  readonly seed: Seed;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0). */
  readonly noise?: number;
  /** Shuffle the samples (default true); otherwise they come class by class. */
  readonly shuffle?: boolean;
  /** Default float64. */
  readonly dtype?: FloatDType;
}

/**
 * Turns noiseless 2-D points (x0, y0, x1, y1, ...) and their class labels into samples: adds Gaussian noise
 * (its own seeded stream), then shuffles the rows (another stream). x is [n, 2], y int32 [n].
 */
export function labeledPoints(points: Float64Array, labels: Int32Array, options: PointCloudOptions): Samples {
  const n = labels.length;
  const noise = options.noise ?? 0;
  if (noise > 0) {
    const rng = new Rng(deriveSeed(options.seed, 'noise'));
    for (let i = 0; i < points.length; i++) points[i] += noise * rng.normal();
  }
  const order =
    (options.shuffle ?? true) ? new Rng(deriveSeed(options.seed, 'shuffle')).permutation(n) : null;
  const x = allocate(options.dtype ?? 'float64', 2 * n);
  const y = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    x[2 * k] = points[2 * i];
    x[2 * k + 1] = points[2 * i + 1];
    y[k] = labels[i];
  }
  return { x: tensor(x, { shape: [n, 2] }), y: tensor(y, { shape: [n] }) };
}

/** `count` evenly spaced values from `start`; the last equals `stop` when `endpoint` (NumPy's linspace). */
export function spaced(start: number, stop: number, count: number, endpoint: boolean): Float64Array {
  const out = new Float64Array(count);
  const intervals = endpoint ? count - 1 : count;
  const step = intervals > 0 ? (stop - start) / intervals : 0;
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  if (endpoint && count > 1) out[count - 1] = stop;
  return out;
}
