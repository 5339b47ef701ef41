/**
 * Lab 2's data: California Housing read from a local file or the cache, split 80/20 with a seed, features
 * standardised with a scaler fitted on the training rows only, everything float32 for the network.
 */
import type { Seed, Tensor } from '@chainrule/autograd';
import { concat, slice } from '@chainrule/autograd';
import type { CaliforniaHousing } from '@chainrule/datasets';
import { StandardScaler, californiaHousing, trainTestSplit } from '@chainrule/datasets';

/** The prepared data of the lab. */
export interface CaliforniaLabData {
  /** The frame as read (float64 features and target). */
  readonly frame: CaliforniaHousing;
  /** Standardised training features, float32 [rows, 8], and targets [rows, 1]. */
  readonly xTrain: Tensor;
  readonly yTrain: Tensor;
  /** The test part, standardised with the training statistics. */
  readonly xTest: Tensor;
  readonly yTest: Tensor;
  /** The scaler, fitted on the training rows. */
  readonly scaler: StandardScaler;
}

/** Options of `californiaLabData`. */
export interface CaliforniaLabOptions {
  /** Seed of the split. */
  readonly seed: Seed;
  /** A local cal_housing.data or cal_housing.tgz; without it the cached or downloaded archive is read. */
  readonly path?: string;
  /** Keep only this many training rows (for quick runs); the test part is never reduced. */
  readonly trainRows?: number;
}

/** The features and the target side by side: float64 [rows, 9], the target last. */
export function frameWithTarget(frame: CaliforniaHousing): Tensor {
  return concat([frame.features, frame.target.reshape([-1, 1])], 1);
}

/** Reads, splits (80/20) and standardises the data. */
export async function californiaLabData(options: CaliforniaLabOptions): Promise<CaliforniaLabData> {
  const frame = await californiaHousing(options.path ? { path: options.path } : {});
  const split = trainTestSplit(frame.features, frame.target, { seed: options.seed, testSize: 0.2 });
  const rows = Math.min(options.trainRows ?? split.xTrain.shape[0], split.xTrain.shape[0]);
  const xTrain = slice(split.xTrain, [0, 0], [rows, split.xTrain.shape[1]]);
  const yTrain = slice(split.yTrain, [0], [rows]);
  const scaler = StandardScaler.fit(xTrain);
  const features = (x: Tensor) => scaler.transform(x).cast('float32');
  const column = (y: Tensor) => y.cast('float32').reshape([-1, 1]);
  return {
    frame,
    xTrain: features(xTrain),
    yTrain: column(yTrain),
    xTest: features(split.xTest),
    yTest: column(split.yTest),
    scaler,
  };
}
