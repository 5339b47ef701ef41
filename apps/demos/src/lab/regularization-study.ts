/**
 * One over-sized network trained five ways on the noisy sine (same data, seed, optimizer and epochs): without
 * regularization, with an L1 or L2 penalty, with dropout, and with batch normalization.
 */
import type { Seed, Tensor } from '@chainrule/autograd';
import { ChainruleError, deriveSeed, linspace, tensor } from '@chainrule/autograd';
import type { Batch, Module, Params } from '@chainrule/nn';
import {
  adam,
  batchNorm,
  dense,
  dropout,
  evaluate,
  fit,
  l1,
  l2,
  predict,
  relu,
  sequential,
} from '@chainrule/nn';
import type { WeightStats } from './weight-stats.js';
import { weightStats } from './weight-stats.js';
import { noisySine } from './noisy-sine.js';

/** The fixed settings of the study (only the seed and the epochs vary). */
export const studySettings = {
  trainSamples: 24,
  validationSamples: 400,
  noise: 0.3,
  hiddenLayers: 3,
  width: 64,
  learningRate: 3e-3,
  l1Lambda: 1e-3,
  l2Lambda: 1e-2,
  dropoutRate: 0.3,
} as const;

/** One way of training the network. */
export interface Variant {
  readonly name: string;
  readonly model: Module;
  readonly regularizer?: (params: Params) => Tensor;
}

/** 1 → width (× hiddenLayers) → 1 ReLU network; `extra` adds layers after each hidden dense layer. */
function network(extra: (width: number) => Module[]): Module {
  const { hiddenLayers, width } = studySettings;
  const layers: Module[] = [];
  for (let i = 0; i < hiddenLayers; i++)
    layers.push(dense(i === 0 ? 1 : width, width), ...extra(width), relu());
  layers.push(dense(width, 1));
  return sequential(layers);
}

/** The five variants, in the order of the lecture. */
export function variants(): Variant[] {
  const s = studySettings;
  return [
    { name: 'none', model: network(() => []) },
    {
      name: `L1 (λ = ${s.l1Lambda})`,
      model: network(() => []),
      regularizer: (p) => l1(p, s.l1Lambda, { skipBiases: true }),
    },
    {
      name: `L2 (λ = ${s.l2Lambda})`,
      model: network(() => []),
      regularizer: (p) => l2(p, s.l2Lambda, { skipBiases: true }),
    },
    { name: `dropout (${s.dropoutRate})`, model: network(() => [dropout(s.dropoutRate)]) },
    { name: 'batch norm', model: network((w) => [batchNorm(w)]) },
  ];
}

/** What one variant ended with, and how it got there. */
export interface VariantResult {
  readonly name: string;
  /** Mean squared error on the training samples, evaluation mode, without the penalty. */
  readonly trainLoss: number;
  /** Mean squared error on the validation samples after the last epoch. */
  readonly validationLoss: number;
  /** The lowest validation loss seen, and its epoch (0-based). */
  readonly bestValidationLoss: number;
  readonly bestEpoch: number;
  readonly weights: WeightStats;
  /** Per epoch: validation loss and √Σw². */
  readonly validationCurve: readonly number[];
  readonly normCurve: readonly number[];
  /** The trained network's output at `grid`. */
  readonly fitted: Float32Array;
}

/** The data of the study: training and validation samples drawn from separate streams of `seed`. */
export function studyData(seed: Seed): { train: Batch; validation: Batch } {
  const { trainSamples, validationSamples, noise } = studySettings;
  return {
    train: noisySine({ n: trainSamples, noise, seed: deriveSeed(seed, 'train') }),
    validation: noisySine({ n: validationSamples, noise, seed: deriveSeed(seed, 'validation') }),
  };
}

/** Inputs at which the fitted curves are drawn. */
export const grid: Float32Array = Float32Array.from(linspace(-1, 1, 101).toFlatArray());

/** Trains every variant full-batch with Adam for `epochs` epochs, all from the same seed. */
export async function compareRegularizers(seed: Seed, epochs: number): Promise<VariantResult[]> {
  if (!(Number.isInteger(epochs) && epochs >= 1))
    throw new ChainruleError(
      'regularization',
      `epochs must be at least 1, got ${epochs}`,
      'e.g. --epochs 500',
    );
  const { train, validation } = studyData(seed);
  const results: VariantResult[] = [];
  for (const variant of variants()) {
    const normCurve: number[] = [];
    const result = await fit(variant.model, train, {
      epochs,
      batchSize: studySettings.trainSamples,
      optimizer: adam({ lr: studySettings.learningRate }),
      regularizer: variant.regularizer,
      validation,
      seed,
      callbacks: [{ onEpochEnd: ({ params }) => void normCurve.push(weightStats(params).l2) }],
    });
    const validationCurve = result.history.valLoss;
    const bestValidationLoss = Math.min(...validationCurve);
    results.push({
      name: variant.name,
      trainLoss: evaluate(variant.model, result, train).loss,
      validationLoss: validationCurve[validationCurve.length - 1],
      bestValidationLoss,
      bestEpoch: validationCurve.indexOf(bestValidationLoss),
      weights: weightStats(result.params),
      validationCurve,
      normCurve,
      fitted: Float32Array.from(
        predict(variant.model, result, tensor(grid, { shape: [grid.length, 1] })).data,
      ),
    });
  }
  return results;
}
