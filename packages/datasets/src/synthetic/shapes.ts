import { DataError } from '@chainrule/autograd';
import type { Samples } from '../types.js';
import { checkInteger, checkNonNegative } from '../validate.js';
import type { PointCloudOptions } from './points.js';
import { labeledPoints, spaced } from './points.js';

function checkCloud(where: string, options: PointCloudOptions, minimum: number): void {
  checkInteger(where, 'n', options.n, minimum);
  checkNonNegative(where, 'noise', options.noise ?? 0);
}

/**
 * Two interleaving half circles (scikit-learn's make_moons): class 0 is the upper arc cos/sin of
 * [0, π] (⌊n/2⌋ points), class 1 the lower arc shifted to (1 − cos, 0.5 − sin).
 */
export function moons(options: PointCloudOptions): Samples {
  checkCloud('moons', options, 2);
  const nOuter = Math.floor(options.n / 2);
  const nInner = options.n - nOuter;
  const points = new Float64Array(2 * options.n);
  const labels = new Int32Array(options.n);
  spaced(0, Math.PI, nOuter, true).forEach((t, i) => {
    points[2 * i] = Math.cos(t);
    points[2 * i + 1] = Math.sin(t);
  });
  spaced(0, Math.PI, nInner, true).forEach((t, i) => {
    const k = nOuter + i;
    points[2 * k] = 1 - Math.cos(t);
    points[2 * k + 1] = 0.5 - Math.sin(t);
    labels[k] = 1;
  });
  return labeledPoints(points, labels, options);
}

/** Options of `circles()`. */
export interface CirclesOptions extends PointCloudOptions {
  /** Radius of the inner circle relative to the outer one, in (0, 1) (default 0.8). */
  readonly factor?: number;
}

/**
 * A small circle inside a large one (scikit-learn's make_circles): class 0 on the unit circle
 * (⌊n/2⌋ points), class 1 on the circle of radius `factor`.
 */
export function circles(options: CirclesOptions): Samples {
  checkCloud('circles', options, 2);
  const factor = options.factor ?? 0.8;
  if (!(factor > 0 && factor < 1)) {
    throw new DataError('circles', `factor must lie in (0, 1), got ${factor}`, 'e.g. factor: 0.5');
  }
  const nOuter = Math.floor(options.n / 2);
  const points = new Float64Array(2 * options.n);
  const labels = new Int32Array(options.n);
  spaced(0, 2 * Math.PI, nOuter, false).forEach((t, i) => {
    points[2 * i] = Math.cos(t);
    points[2 * i + 1] = Math.sin(t);
  });
  spaced(0, 2 * Math.PI, options.n - nOuter, false).forEach((t, i) => {
    const k = nOuter + i;
    points[2 * k] = factor * Math.cos(t);
    points[2 * k + 1] = factor * Math.sin(t);
    labels[k] = 1;
  });
  return labeledPoints(points, labels, options);
}

/** Options of `spirals()`. */
export interface SpiralsOptions extends PointCloudOptions {
  /** Number of arms, one class each (default 3). */
  readonly classes?: number;
  /** Angle each arm sweeps from the centre outwards, in radians (default 4, as in CS231n's spiral). */
  readonly sweep?: number;
}

/**
 * Interleaved spiral arms, one class per arm (the classic non-linearly separable set): arm j starts at the
 * centre at angle 2πj/classes and winds outwards to radius 1 while turning by `sweep` radians.
 */
export function spirals(options: SpiralsOptions): Samples {
  const classes = checkInteger('spirals', 'classes', options.classes ?? 3, 2);
  checkCloud('spirals', options, classes);
  const sweep = options.sweep ?? 4;
  const points = new Float64Array(2 * options.n);
  const labels = new Int32Array(options.n);
  let k = 0;
  for (let j = 0; j < classes; j++) {
    const count = Math.floor(options.n / classes) + (j < options.n % classes ? 1 : 0);
    for (const r of spaced(0, 1, count, true)) {
      const angle = (2 * Math.PI * j) / classes + sweep * r;
      points[2 * k] = r * Math.cos(angle);
      points[2 * k + 1] = r * Math.sin(angle);
      labels[k++] = j;
    }
  }
  return labeledPoints(points, labels, options);
}
