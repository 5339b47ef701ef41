import type { Tensor } from '@chainrule/autograd';
import { DataError } from '@chainrule/autograd';
import type { ColumnAffine } from './affine.js';
import { columnValues } from '../rows.js';
import { applyAffine, fitMatrix } from './affine.js';

/**
 * Standardises each column to mean 0 and standard deviation 1 (population std, as scikit-learn's
 * StandardScaler; a constant column keeps scale 1). Fit it on the training rows only:
 * `const scaler = StandardScaler.fit(xTrain)`, then transform both parts. A fitted scaler never changes.
 */
export class StandardScaler {
  private readonly map: ColumnAffine;

  private constructor(
    /** Column means of the training rows. */
    readonly mean: Float64Array,
    /** Column standard deviations (ddof 0) of the training rows. */
    readonly std: Float64Array,
  ) {
    this.map = { center: mean, scale: std.map((s) => (s === 0 ? 1 : s)), offset: 0 };
  }

  /** Learns the column means and standard deviations of `x` ([N, features] or [N]). */
  static fit(x: Tensor): StandardScaler {
    const m = fitMatrix('StandardScaler.fit', x);
    const mean = new Float64Array(m.cols);
    const std = new Float64Array(m.cols);
    for (let j = 0; j < m.cols; j++) {
      const values = columnValues(m, j);
      let sum = 0;
      for (const v of values) sum += v;
      mean[j] = sum / m.rows;
      let squares = 0;
      for (const v of values) squares += (v - mean[j]) ** 2;
      std[j] = Math.sqrt(squares / m.rows);
    }
    return new StandardScaler(mean, std);
  }

  /** (x − mean) / std, column by column. */
  transform(x: Tensor): Tensor {
    return applyAffine('StandardScaler.transform', x, this.map, false);
  }

  /** Undoes `transform`: z · std + mean. */
  inverseTransform(z: Tensor): Tensor {
    return applyAffine('StandardScaler.inverseTransform', z, this.map, true);
  }
}

/** Options of `MinMaxScaler.fit`. */
export interface MinMaxOptions {
  /** The interval the training minimum and maximum map to (default [0, 1]). */
  readonly range?: readonly [number, number];
}

/**
 * Maps each column linearly so that the training minimum and maximum land on `range` (scikit-learn's
 * MinMaxScaler; a constant column is only shifted). Fit it on the training rows only:
 * `const scaler = MinMaxScaler.fit(xTrain)`. A fitted scaler never changes.
 */
export class MinMaxScaler {
  private readonly map: ColumnAffine;

  private constructor(
    /** Column minima of the training rows. */
    readonly dataMin: Float64Array,
    /** Column maxima of the training rows. */
    readonly dataMax: Float64Array,
    /** The target interval. */
    readonly range: readonly [number, number],
  ) {
    const [low, high] = range;
    const scale = dataMin.map((min, j) => (dataMax[j] === min ? 1 : (dataMax[j] - min) / (high - low)));
    this.map = { center: dataMin, scale, offset: low };
  }

  /** Learns the column minima and maxima of `x` ([N, features] or [N]). */
  static fit(x: Tensor, options: MinMaxOptions = {}): MinMaxScaler {
    const range = options.range ?? [0, 1];
    if (!(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) {
      throw new DataError(
        'MinMaxScaler.fit',
        `range [${range.join(', ')}] is not an interval`,
        'e.g. range: [-1, 1]',
      );
    }
    const m = fitMatrix('MinMaxScaler.fit', x);
    const min = new Float64Array(m.cols);
    const max = new Float64Array(m.cols);
    for (let j = 0; j < m.cols; j++) {
      const values = columnValues(m, j);
      min[j] = values.reduce((a, b) => Math.min(a, b));
      max[j] = values.reduce((a, b) => Math.max(a, b));
    }
    return new MinMaxScaler(min, max, [range[0], range[1]]);
  }

  /** (x − min) / (max − min) · (high − low) + low, column by column. */
  transform(x: Tensor): Tensor {
    return applyAffine('MinMaxScaler.transform', x, this.map, false);
  }

  /** Undoes `transform`. */
  inverseTransform(z: Tensor): Tensor {
    return applyAffine('MinMaxScaler.inverseTransform', z, this.map, true);
  }
}
