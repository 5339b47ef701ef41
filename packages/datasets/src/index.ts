/**
 * @chainrule/datasets — the data of the labs (XOR, MNIST, California Housing, synthetic sets) as tensors,
 * and the preprocessing around them: splits, scalers, one-hot labels, mini-batches, summary statistics.
 */
export type { FloatDType, Samples } from './types.js';
export { xor } from './xor.js';
export type { XorOptions } from './xor.js';
export { bundledMnistDir, mnist } from './mnist/mnist.js';
export type { MnistData, MnistOptions, RawImages } from './mnist/mnist.js';
export { parseIdx } from './mnist/idx.js';
export type { IdxArray } from './mnist/idx.js';
export {
  CALIFORNIA_CACHE_FILE,
  CALIFORNIA_MEMBER,
  CALIFORNIA_SHA256,
  CALIFORNIA_URL,
  californiaHousing,
  dataCacheDir,
} from './california/california.js';
export type { CaliforniaHousing, CaliforniaOptions } from './california/california.js';
export { circles, moons, spirals } from './synthetic/shapes.js';
export type { CirclesOptions, SpiralsOptions } from './synthetic/shapes.js';
export type { PointCloudOptions } from './synthetic/points.js';
export { linearRegression } from './synthetic/regression.js';
export type { LinearRegressionData, LinearRegressionOptions } from './synthetic/regression.js';
export { trainTestSplit } from './preprocessing/split.js';
export type { Split, SplitOptions } from './preprocessing/split.js';
export { MinMaxScaler, StandardScaler } from './preprocessing/scalers.js';
export type { MinMaxOptions } from './preprocessing/scalers.js';
export { oneHot } from './preprocessing/oneHot.js';
export type { OneHotOptions } from './preprocessing/oneHot.js';
export { batches } from './preprocessing/batches.js';
export type { Batch, BatchIterable, BatchOptions } from './preprocessing/batches.js';
export { describe, describeStats } from './explore/describe.js';
export type { DescribeOptions, DescribeStat, Description } from './explore/describe.js';
export { correlation } from './explore/correlation.js';
