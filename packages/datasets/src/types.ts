import type { Tensor } from '@chainrule/autograd';

/** Inputs and targets, one row per sample, in the same order. */
export interface Samples {
  /** Inputs: shape [N, ...]. */
  readonly x: Tensor;
  /** Targets: shape [N, ...]. */
  readonly y: Tensor;
}

/** The floating-point dtypes a data set can be built in. */
export type FloatDType = 'float32' | 'float64';
