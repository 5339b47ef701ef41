/**
 * Size of a network's weights: the quantities L1 and L2 penalties act on, read from a parameter tree.
 */
import type { Tensor } from '@chainrule/autograd';

/** Norms of the weight matrices of a parameter tree (biases and batch-norm γ/β left out). */
export interface WeightStats {
  /** Σ|w|. */
  readonly l1: number;
  /** √Σw². */
  readonly l2: number;
  /** Fraction of weights with |w| below `threshold`. */
  readonly nearZero: number;
  /** Number of weights counted. */
  readonly count: number;
}

/** True for the keys of weight matrices: "0.weight", "2.weight". */
export function isWeightKey(key: string): boolean {
  return key.slice(key.lastIndexOf('.') + 1) === 'weight';
}

/**
 * L1 and L2 norms and the near-zero fraction (|w| < threshold, default 1e-3) of every weight matrix of a
 * parameter tree (nn's Params, or any (key, tensor) pairs).
 */
export function weightStats(params: Iterable<readonly [string, Tensor]>, threshold = 1e-3): WeightStats {
  let l1 = 0;
  let squares = 0;
  let small = 0;
  let count = 0;
  for (const [key, w] of params) {
    if (!isWeightKey(key)) continue;
    for (const v of w.data) {
      const magnitude = Math.abs(v);
      l1 += magnitude;
      squares += v * v;
      if (magnitude < threshold) small++;
    }
    count += w.size;
  }
  return { l1, l2: Math.sqrt(squares), nearZero: count ? small / count : 0, count };
}
