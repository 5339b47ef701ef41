/**
 * Training and scoring the lab's regression networks: a ReLU MLP from a list of hidden widths, Adam with a
 * cosine-decaying learning rate, MSE loss, and the test metrics the lab reports.
 */
import type { Seed, Tensor } from '@chainrule/autograd';
import { ChainruleError } from '@chainrule/autograd';
import type { FitResult, Module } from '@chainrule/nn';
import { adam, cosineDecay, dense, dropout, fit, metrics, predict, relu, sequential } from '@chainrule/nn';

/** A network shape: hidden widths, and optionally dropout after every hidden layer. */
export interface Architecture {
  readonly hidden: readonly number[];
  readonly dropout?: number;
}

/** How the networks are trained. */
export interface TrainingConfig {
  readonly epochs: number;
  readonly batchSize: number;
  /** Adam's learning rate at the first step; it decays along half a cosine to 0 at the last step. */
  readonly learningRate: number;
}

/** The lab's test metrics. */
export interface RegressionMetrics {
  readonly mse: number;
  readonly rmse: number;
  readonly mae: number;
  readonly r2: number;
}

/** A trained network with its test predictions, scores, history and training time. */
export interface TrainedRegressor {
  readonly model: Module;
  readonly result: FitResult;
  readonly parameters: number;
  readonly seconds: number;
  readonly predictions: Tensor;
  readonly test: RegressionMetrics;
}

/** "8-64-64-1", or "8-128-128-1 + dropout 0.2". */
export function architectureName(inputs: number, a: Architecture): string {
  const widths = [inputs, ...a.hidden, 1].join('-');
  return a.dropout ? `${widths} + dropout ${a.dropout}` : widths;
}

/** inputs → hidden… (ReLU, optional dropout) → 1. */
export function regressionNetwork(inputs: number, a: Architecture): Module {
  const layers: Module[] = [];
  let width = inputs;
  for (const units of a.hidden) {
    layers.push(dense(width, units), relu());
    if (a.dropout) layers.push(dropout(a.dropout));
    width = units;
  }
  layers.push(dense(width, 1));
  return sequential(layers);
}

/** MSE, RMSE, MAE and R² of predictions against targets. */
export function regressionMetrics(prediction: Tensor, target: Tensor): RegressionMetrics {
  return {
    mse: metrics.mse(prediction, target),
    rmse: metrics.rmse(prediction, target),
    mae: metrics.mae(prediction, target),
    r2: metrics.r2(prediction, target),
  };
}

/** Labelled rows for training and testing. */
export interface RegressionData {
  readonly xTrain: Tensor;
  readonly yTrain: Tensor;
  readonly xTest: Tensor;
  readonly yTest: Tensor;
}

/**
 * Trains `architecture` on the training rows and scores it on the test rows. The test MSE is also logged
 * after every epoch (history.valLoss) to draw the learning curve; nothing is chosen by it.
 */
export async function trainRegressor(
  architecture: Architecture,
  data: RegressionData,
  config: TrainingConfig,
  seed: Seed,
): Promise<TrainedRegressor> {
  if (!(Number.isInteger(config.epochs) && config.epochs >= 1)) {
    throw new ChainruleError(
      'trainRegressor',
      `epochs must be at least 1, got ${config.epochs}`,
      'e.g. --epochs 40',
    );
  }
  const model = regressionNetwork(data.xTrain.shape[1], architecture);
  const steps = config.epochs * Math.ceil(data.xTrain.shape[0] / config.batchSize);
  const started = performance.now();
  const result = await fit(
    model,
    { x: data.xTrain, y: data.yTrain },
    {
      epochs: config.epochs,
      batchSize: config.batchSize,
      optimizer: adam({ lr: cosineDecay(config.learningRate, { steps }) }),
      validation: { x: data.xTest, y: data.yTest },
      seed,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const predictions = predict(model, result, data.xTest);
  let parameters = 0;
  for (const p of result.params.values()) parameters += p.size;
  return {
    model,
    result,
    parameters,
    seconds,
    predictions,
    test: regressionMetrics(predictions, data.yTest),
  };
}
