/**
 * Early stopping: watch a logged quantity, stop after `patience` epochs without improvement, and optionally
 * hand back the weights of the best epoch.
 */
import type { Weights } from '../types.js';

/** Options of early stopping (Keras's semantics, except the monitor's default). */
export interface EarlyStoppingOptions {
  /** The log to watch (default 'valLoss' when there is validation data, else 'loss'). */
  readonly monitor?: string;
  /** 'min' (default; 'max' when the monitor name contains "accuracy"). */
  readonly mode?: 'min' | 'max';
  /** Stop after this many epochs in a row without improvement (default 1). */
  readonly patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** Return the weights of the best epoch instead of the last (default false). */
  readonly restoreBest?: boolean;
}

/** Tracks the best epoch; `observe` returns true when training should stop. */
export class EarlyStopping {
  readonly monitor: string;
  private readonly sign: number;
  private best = Infinity;
  private wait = 0;
  /** The epoch (0-based) with the best monitored value so far. */
  bestEpoch = -1;
  /** The weights of the best epoch (kept only with restoreBest). */
  bestWeights: Weights | undefined;

  constructor(
    private readonly options: EarlyStoppingOptions,
    hasValidation: boolean,
  ) {
    this.monitor = options.monitor ?? (hasValidation ? 'valLoss' : 'loss');
    const mode = options.mode ?? (/accuracy/i.test(this.monitor) ? 'max' : 'min');
    this.sign = mode === 'min' ? 1 : -1;
  }

  /** Records an epoch's value; true when patience has run out. */
  observe(epoch: number, value: number, weights: Weights): boolean {
    const score = this.sign * value;
    if (score < this.best - (this.options.minDelta ?? 0)) {
      this.best = score;
      this.wait = 0;
      this.bestEpoch = epoch;
      if (this.options.restoreBest) this.bestWeights = weights;
      return false;
    }
    this.wait++;
    return this.wait >= (this.options.patience ?? 1);
  }
}
