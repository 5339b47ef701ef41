/**
 * @chainrule/nn — layers, losses, regularizers, optimizers, training, metrics and save/load on top of
 * @chainrule/autograd. Modules are stateless; parameters, batch-norm state and optimizer state are
 * immutable trees.
 */
export type * from './types.js';
export * as init from './init.js';
export type { Initializer, InitializerSpec, InitContext } from './init.js';
export * as functional from './functional.js';
export { Module } from './module.js';
export type { LayerContext, LayerDefinition, Slot } from './module.js';
export { dense } from './layers/dense.js';
export type { DenseOptions } from './layers/dense.js';
export { sequential } from './layers/sequential.js';
export { flatten } from './layers/flatten.js';
export {
  elu,
  gelu,
  leakyRelu,
  linear,
  relu,
  sigmoid,
  silu,
  softmax,
  step,
  tanh,
} from './layers/activations.js';
export { maxout } from './layers/maxout.js';
export type { MaxoutOptions } from './layers/maxout.js';
export { dropout, dropoutMask } from './layers/dropout.js';
export { batchNorm } from './layers/batch-norm.js';
export type { BatchNormOptions } from './layers/batch-norm.js';
export { moduleFromSpec } from './layers/registry.js';
export { binaryCrossEntropy, crossEntropy, huber, mae, mse, PROBABILITY_EPSILON } from './losses.js';
export type { ClassificationLossOptions, Loss, LossOptions, Reduction } from './losses.js';
export { isBiasKey, l1, l2 } from './regularizers.js';
export type { PenaltyOptions } from './regularizers.js';
export { cosineDecay, exponentialDecay, linearWarmup, stepDecay } from './schedules.js';
export type { Schedule } from './schedules.js';
export { makeOptimizer } from './optimizers/optimizer.js';
export type {
  BaseOptions,
  LearningRate,
  Optimizer,
  OptimizerState,
  RuleInput,
  RuleOutput,
  SlotDef,
  Update,
} from './optimizers/optimizer.js';
export { clipByGlobalNorm, globalNorm } from './optimizers/clip.js';
export { sgd } from './optimizers/sgd.js';
export type { SgdOptions } from './optimizers/sgd.js';
export { adam, adamw } from './optimizers/adam.js';
export type { AdamOptions } from './optimizers/adam.js';
export { rmsprop } from './optimizers/rmsprop.js';
export type { RmspropOptions } from './optimizers/rmsprop.js';
export { adagrad } from './optimizers/adagrad.js';
export type { AdagradOptions } from './optimizers/adagrad.js';
export { TrainingError } from './errors.js';
export * as metrics from './metrics.js';
export type { ClassReport, Metric, MetricName } from './metrics.js';
export { fit } from './train/fit.js';
export type { BatchInfo, Callback, EpochInfo, FitOptions, FitResult } from './train/fit.js';
export { evaluate, predict } from './train/predict.js';
export type { EvaluateOptions, MetricsOption, PredictOptions } from './train/predict.js';
export type { EarlyStoppingOptions } from './train/early-stopping.js';
export { fromBytes, load, save, toBytes } from './io/save-load.js';
export type { Loaded, LoadOptions } from './io/save-load.js';
