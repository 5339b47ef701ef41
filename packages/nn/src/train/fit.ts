/**
 * Keras-style training: `fit(model, { x, y }, options)` shuffles with a seed, batches rows with gather,
 * differentiates the loss with valueAndGrad (compiled with jit where it can be), updates with a pure optimizer
 * inside noGrad, validates, calls callbacks, stops early, and returns the final weights and the history.
 */
import type { Seed, Tensor } from '@chainrule/autograd';
import { ChainruleError, Rng, deriveSeed, recycle, tidy } from '@chainrule/autograd';
import { TrainingError } from '../errors.js';
import type { Loss } from '../losses.js';
import type { Module } from '../module.js';
import { adam } from '../optimizers/adam.js';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import type { Batch, Params, State, Weights } from '../types.js';
import { alignBatch, rowRange, rowsAt, splitValidation } from './data.js';
import type { EarlyStoppingOptions } from './early-stopping.js';
import { EarlyStopping } from './early-stopping.js';
import type { MetricsOption } from './predict.js';
import { defaultLoss, evaluate, resolveMetrics } from './predict.js';
import { createProgress, progressByDefault } from './progress.js';
import { compiledStep, eagerStep, seedOfStep } from './step.js';

/** What a batch callback sees. */
export interface BatchInfo {
  readonly epoch: number;
  readonly batch: number;
  readonly size: number;
  readonly loss: number;
}

/** What an epoch callback sees; `stop()` ends training after this epoch. */
export interface EpochInfo extends Weights {
  readonly epoch: number;
  readonly logs: Readonly<Record<string, number>>;
  readonly state: State;
  stop(): void;
}

/** Hooks called during training (they may be async). */
export interface Callback {
  onBatchEnd?(info: BatchInfo): void | Promise<void>;
  onEpochEnd?(info: EpochInfo): void | Promise<void>;
}

/** Options of `fit`. */
export interface FitOptions {
  readonly epochs: number;
  /** Rows per update (default 32; larger than the data set means full-batch). */
  readonly batchSize?: number;
  /** Default adam(). */
  readonly optimizer?: Optimizer;
  /** Default: crossEntropy (from logits) for int32 labels, mse otherwise. */
  readonly loss?: Loss;
  /** A penalty added to every batch loss, e.g. (p) => l2(p, 1e-4). */
  readonly regularizer?: (params: Params) => Tensor;
  /** Metrics logged for training batches and validation data, e.g. ['accuracy']. */
  readonly metrics?: MetricsOption;
  /** Seeds the initial parameters (as model.init), the shuffles and the dropout masks. Default 0. */
  readonly seed?: Seed;
  /** Shuffle rows every epoch (default true). */
  readonly shuffle?: boolean;
  /** Start from these parameters instead of model.init({ seed }). */
  readonly params?: Params;
  /** Start from this batch-norm state instead of model.initState(). */
  readonly state?: State;
  /** Continue from this optimizer state. */
  readonly optimizerState?: OptimizerState;
  /** Data evaluated after every epoch (logs valLoss, valAccuracy, ...). */
  readonly validation?: Batch;
  /** Or: hold out this last fraction of the rows as validation data (taken before shuffling). */
  readonly validationSplit?: number;
  readonly callbacks?: readonly Callback[];
  readonly earlyStopping?: EarlyStoppingOptions;
  /** Show a progress bar (default: only when stdout is a terminal and CI is unset). */
  readonly progress?: boolean;
  /**
   * Run each step's loss and gradients as one function compiled with `jit` (default true): the same bits,
   * less work per step. Models it cannot trace (a loss that reads values into JavaScript) train eagerly.
   */
  readonly compile?: boolean;
}

/** The result of `fit`: final (or best) weights, optimizer state and the per-epoch history. */
export interface FitResult extends Weights {
  readonly state: State;
  readonly optimizerState: OptimizerState;
  /** Per-epoch logs: loss, valLoss, and every metric (accuracy, valAccuracy, ...). */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** Epochs completed. */
  readonly epochs: number;
  readonly stoppedEarly: boolean;
  /** The best epoch (0-based) when early stopping was used. */
  readonly bestEpoch?: number;
  /** True when the steps ran compiled (see `FitOptions.compile`). */
  readonly compiled: boolean;
}

const valKey = (name: string) => `val${name[0].toUpperCase()}${name.slice(1)}`;

function checkOptions(options: FitOptions): void {
  const bad = (name: string, value: unknown, hint: string) => {
    throw new ChainruleError('fit', `${name} ${String(value)} is invalid`, hint);
  };
  if (!(Number.isInteger(options.epochs) && options.epochs >= 0))
    bad('epochs', options.epochs, 'a count ≥ 0');
  const b = options.batchSize;
  if (b !== undefined && !(Number.isInteger(b) && b > 0)) bad('batchSize', b, 'a positive integer');
  if (options.validation && options.validationSplit !== undefined) {
    bad('validationSplit', options.validationSplit, 'give validation data or a split, not both');
  }
}

/** The row order of one epoch: a seeded permutation, or 0..n-1 without shuffling. */
function epochOrder(n: number, shuffle: boolean, seed: Seed, epoch: number): Int32Array | undefined {
  return shuffle ? new Rng(deriveSeed(seed, `shuffle/${epoch}`)).permutation(n) : undefined;
}

/** Trains `model` on `data`; see FitOptions for every knob. */
export async function fit(model: Module, data: Batch, options: FitOptions): Promise<FitResult> {
  checkOptions(options);
  const seed = options.seed ?? 0;
  const aligned = alignBatch('fit', model, data);
  const { train, validation } =
    options.validationSplit !== undefined
      ? splitValidation('fit', aligned, options.validationSplit)
      : {
          train: aligned,
          validation: options.validation && alignBatch('fit validation', model, options.validation),
        };
  const optimizer = options.optimizer ?? adam();
  const loss = options.loss ?? defaultLoss(train.y);
  const metrics = resolveMetrics(options.metrics);
  const n = train.x.shape[0];
  const batchSize = Math.min(options.batchSize ?? 32, n);
  const batches = Math.ceil(n / batchSize);
  const progress = createProgress(options.progress ?? progressByDefault());
  const stopper = options.earlyStopping && new EarlyStopping(options.earlyStopping, Boolean(validation));

  const eager = eagerStep(model, loss, options.regularizer);
  const step = options.compile === false ? undefined : compiledStep(eager);

  let params = options.params ?? model.init({ seed });
  let state = options.state ?? model.initState();
  let optimizerState = options.optimizerState ?? optimizer.init(params);
  const history: Record<string, number[]> = {};
  const log = (key: string, value: number) => (history[key] ??= []).push(value);
  let epochsDone = 0;
  let stopRequested = false;
  /** False while params or optimizer state may be held by the caller or callbacks (never recycle those). */
  let owned = false;

  for (let epoch = 0; epoch < options.epochs && !stopRequested; epoch++) {
    const order = epochOrder(n, options.shuffle ?? true, seed, epoch);
    const sums: Record<string, number> = { loss: 0 };
    progress.startEpoch(epoch, options.epochs, batches);
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, n - start);
      const rows = order?.subarray(start, start + size);
      const before = { params, optimizerState };
      // One step inside a tidy scope: the batch, activations and gradients go back to the buffer pool, so
      // the next step reuses their arrays instead of allocating new ones.
      const done = tidy(
        () => {
          const xb = rows ? rowsAt(train.x, rows) : rowRange(train.x, start, size);
          const yb = rows ? rowsAt(train.y, rows) : rowRange(train.y, start, size);
          const at = { base: seed, epoch, batch: b };
          const {
            value,
            output,
            grads,
            state: nextState,
          } = step ? step(params, state, xb, yb, at) : eager(params, state, xb, yb, seedOfStep(at));
          const lossValue = value.item();
          if (!Number.isFinite(lossValue)) {
            throw new TrainingError(
              'fit',
              `the loss is ${lossValue} at epoch ${epoch}, batch ${b} (rows ${start}–${start + size - 1} of this epoch's order)`,
              'lower the learning rate, clip gradients (clipNorm), scale the inputs, or look for NaN in the data',
            );
          }
          const update = optimizer.update(params, grads, optimizerState);
          const scores = [...metrics].map(([name, metric]) => [name, metric(output, yb)] as const);
          return { params: update.params, optimizerState: update.state, state: nextState, lossValue, scores };
        },
        (result) => weightLeaves(result.params, result.state, result.optimizerState),
      );
      ({ params, optimizerState, state } = done);
      // The previous step's parameters and optimizer state are dead unless user code has seen them.
      if (owned)
        recycle(
          weightLeaves(before.params, undefined, before.optimizerState),
          weightLeaves(params, state, optimizerState),
        );
      owned = true;
      const { lossValue } = done;
      sums.loss += lossValue * size;
      for (const [name, score] of done.scores) sums[name] = (sums[name] ?? 0) + score * size;
      progress.batch(b + 1, lossValue);
      for (const c of options.callbacks ?? [])
        await c.onBatchEnd?.({ epoch, batch: b, size, loss: lossValue });
    }
    const logs: Record<string, number> = {};
    for (const [name, total] of Object.entries(sums)) logs[name] = total / n;
    if (validation) {
      const v = evaluate(model, { params, state }, validation, { loss, metrics: options.metrics });
      for (const [name, value] of Object.entries(v)) logs[valKey(name)] = value;
    }
    for (const [name, value] of Object.entries(logs)) log(name, value);
    owned = false; // from here on, callbacks and early stopping may keep this epoch's weights
    progress.endEpoch(logs);
    epochsDone = epoch + 1;
    const info: EpochInfo = { epoch, logs, params, state, stop: () => (stopRequested = true) };
    for (const c of options.callbacks ?? []) await c.onEpochEnd?.(info);
    if (stopper) {
      const watched = logs[stopper.monitor];
      if (watched === undefined) {
        throw new ChainruleError(
          'fit',
          `early stopping monitors '${stopper.monitor}', which is not logged`,
          `logged: ${Object.keys(logs).join(', ')}`,
        );
      }
      if (stopper.observe(epoch, watched, { params, state })) stopRequested = true;
    }
  }
  const best = stopper?.bestWeights;
  return {
    params: best?.params ?? params,
    state: best?.state ?? state,
    optimizerState,
    history,
    epochs: epochsDone,
    stoppedEarly: epochsDone < options.epochs,
    bestEpoch: stopper && stopper.bestEpoch >= 0 ? stopper.bestEpoch : undefined,
    compiled: step?.compiled() ?? false,
  };
}

/** Every tensor of a set of weights and an optimizer state. */
function weightLeaves(params: Params, state: State | undefined, optimizerState: OptimizerState): Tensor[] {
  const leaves = [...params.values(), ...(state?.values() ?? [])];
  for (const slot of optimizerState.slots.values()) leaves.push(...slot.values());
  return leaves;
}
