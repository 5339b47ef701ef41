/**
 * Weight penalties added to a loss, exactly as in the lecture: J + λΣ|w| (L1) and J + λΣw² (L2).
 */
import type { Tensor } from '@chainrule/autograd';
import { ChainruleError, scalar } from '@chainrule/autograd';
import type { Params } from './types.js';

/** Options of the penalties. */
export interface PenaltyOptions {
  /** Leave bias vectors (keys ending in "bias", and batch norm's "beta") out of the sum. Default false. */
  readonly skipBiases?: boolean;
}

/** True for keys of bias-like parameters: "0.bias", "3.beta". */
export function isBiasKey(key: string): boolean {
  const last = key.slice(key.lastIndexOf('.') + 1);
  return last === 'bias' || last === 'beta';
}

function penalty(
  where: string,
  params: Params,
  lambda: number,
  options: PenaltyOptions,
  term: (w: Tensor) => Tensor,
): Tensor {
  if (!(lambda >= 0)) {
    throw new ChainruleError(where, `λ must be a non-negative number, got ${lambda}`, 'e.g. 1e-4');
  }
  let total: Tensor | undefined;
  for (const [key, w] of params) {
    if (options.skipBiases && isBiasKey(key)) continue;
    const t = term(w).sum();
    total = total ? total.add(t) : t;
  }
  if (!total) return scalar(0, { dtype: params.first()?.dtype ?? 'float64' });
  return total.mul(lambda);
}

/** λ·Σ|w| over the parameter tree (drives weights to exact zeros). */
export function l1(params: Params, lambda: number, options: PenaltyOptions = {}): Tensor {
  return penalty('l1', params, lambda, options, (w) => w.abs());
}

/** λ·Σw² over the parameter tree (shrinks weights towards zero). */
export function l2(params: Params, lambda: number, options: PenaltyOptions = {}): Tensor {
  return penalty('l2', params, lambda, options, (w) => w.square());
}
