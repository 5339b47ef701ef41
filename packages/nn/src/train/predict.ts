/**
 * Inference: predict (outputs in evaluation mode, in batches, without recording a graph) and evaluate
 * (loss and metrics on a data set).
 */
import type { Tensor } from '@chainrule/autograd';
import { concat, noGrad } from '@chainrule/autograd';
import type { Loss } from '../losses.js';
import { crossEntropy, mse } from '../losses.js';
import type { Metric, MetricName } from '../metrics.js';
import { namedMetrics } from '../metrics.js';
import type { Module } from '../module.js';
import type { Batch, Weights } from '../types.js';
import { alignBatch, alignInput, rowRange } from './data.js';

/** Options of `predict`. */
export interface PredictOptions {
  /** Rows per forward pass (default 1024); only memory use depends on it. */
  readonly batchSize?: number;
}

/** Metrics by name ('accuracy') or as named functions ({ top: myMetric }). */
export type MetricsOption = readonly MetricName[] | Readonly<Record<string, Metric>>;

/** Options of `evaluate`. */
export interface EvaluateOptions extends PredictOptions {
  /** The loss (default: crossEntropy for int32 labels, mse otherwise). */
  readonly loss?: Loss;
  readonly metrics?: MetricsOption;
}

/** The model's outputs for x in evaluation mode (dropout off, batch norm with running statistics). */
export function predict(model: Module, weights: Weights, x: Tensor, options: PredictOptions = {}): Tensor {
  const input = alignInput(model, x);
  const n = input.ndim ? input.shape[0] : 1;
  const size = options.batchSize ?? 1024;
  return noGrad(() => {
    const outputs: Tensor[] = [];
    for (let start = 0; start < n; start += size) {
      const rows = rowRange(input, start, Math.min(size, n - start));
      outputs.push(model.apply(weights.params, rows, { state: weights.state }));
    }
    return outputs.length === 1 ? outputs[0] : concat(outputs, 0);
  });
}

/** The default loss for targets y: cross-entropy from logits for int32 labels, mean squared error otherwise. */
export function defaultLoss(y: Tensor): Loss {
  return y.dtype === 'int32' ? (p, t) => crossEntropy(p, t) : (p, t) => mse(p, t);
}

/** Metric functions by name. */
export function resolveMetrics(option: MetricsOption | undefined): [string, Metric][] {
  if (!option) return [];
  if (Array.isArray(option))
    return (option as readonly MetricName[]).map((name) => [name, namedMetrics[name]]);
  return Object.entries(option as Readonly<Record<string, Metric>>);
}

/** Loss and metrics of the model on `data` in evaluation mode: { loss, accuracy, ... }. */
export function evaluate(
  model: Module,
  weights: Weights,
  data: Batch,
  options: EvaluateOptions = {},
): Record<string, number> {
  const { x, y } = alignBatch('evaluate', model, data);
  const output = predict(model, weights, x, options);
  const loss = options.loss ?? defaultLoss(y);
  const logs: Record<string, number> = { loss: noGrad(() => loss(output, y).item()) };
  for (const [name, metric] of resolveMetrics(options.metrics)) logs[name] = metric(output, y);
  return logs;
}
