/**
 * The trees nn passes around. Parameters and batch-norm statistics are flat immutable Maps keyed by dotted
 * paths ("0.weight", "3.runningMean"), so they work with autograd's tree transforms, optimizers and files.
 */
import type { Map as ImmutableMap } from 'immutable';
import type { DType, Seed, Tensor } from '@chainrule/autograd';

/** Trainable parameters: "0.weight", "0.bias", ... */
export type Params = ImmutableMap<string, Tensor>;

/** Non-trainable layer state (batch-norm running statistics): "3.runningMean", "3.runningVar". */
export type State = ImmutableMap<string, Tensor>;

/** Parameters and state together: what `fit` returns and what `predict`, `evaluate` and `save` take. */
export interface Weights {
  readonly params: Params;
  readonly state?: State;
}

/** A labelled set of examples: rows of `x` and the matching rows of `y` (the same shape as datasets' batches). */
export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
}

/** Options of `Module.init`. */
export interface InitOptions {
  /** Every parameter is drawn from a stream derived from this seed and its key. */
  readonly seed: Seed;
}

/**
 * A seed whose last parts are the values of an int32 tensor: `base/key[0]/key[1]/…`, the same string, and so
 * the same masks, as the Seed written out. Traced by `jit`, the key is an argument, so a compiled training
 * step draws the masks of each call's key (fit passes [epoch, batch]).
 */
export interface KeyedSeed {
  readonly base: Seed;
  readonly key: Tensor;
}

/** Options of `Module.apply` and `Module.forward`. */
export interface ApplyOptions {
  /** Training mode: dropout drops, batch norm uses batch statistics. Default false (evaluation). */
  readonly training?: boolean;
  /**
   * Seed of the dropout masks; required in training mode when the model has dropout. A `KeyedSeed` (an int32
   * key tensor) lets a compiled step draw new masks at every call.
   */
  readonly seed?: Seed | KeyedSeed;
  /** Running statistics; required in evaluation mode when the model has batch norm. */
  readonly state?: State;
}

/** The result of `Module.forward`: the output and the state after this call (updated in training mode). */
export interface ForwardResult {
  readonly output: Tensor;
  readonly state: State;
}

/** The JSON description of a layer, stored in saved files to rebuild the architecture. */
export interface LayerSpec {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** How a tensor of a layer is created: its shape, dtype and initializer name. */
export interface TensorSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}
