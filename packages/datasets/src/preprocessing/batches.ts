import type { Seed, Tensor } from '@chainrule/autograd';
import { ChainruleError, Rng } from '@chainrule/autograd';
import { sameRowCount, takeRows } from '../rows.js';
import type { Samples } from '../types.js';
import { checkInteger } from '../validate.js';

/** One mini-batch: rows of the inputs and the matching rows of the targets. The contract `fit` consumes. */
export type Batch = Samples;

/** Options of `batches()`. */
export interface BatchOptions {
  /** Rows per batch; the last batch may be smaller unless `dropLast`. */
  readonly batchSize: number;
  /** Visit the rows in a seeded random order (default false: in order). */
  readonly shuffle?: boolean;
  /** Required when shuffling; the same seed gives the same batch order, bit for bit. */
  readonly seed?: Seed;
  /** Skip a final batch smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
}

/** The batches of one pass over the data. Iterating again gives the same batches in the same order. */
export interface BatchIterable extends Iterable<Batch> {
  /** Number of batches a pass yields. */
  readonly length: number;
}

/**
 * Splits (x, y) into mini-batches of `batchSize` rows, gathering the rows of each batch into new tensors.
 * With `shuffle`, the order is `new Rng(seed).permutation(N)`; use a different seed per epoch
 * (e.g. `deriveSeed(seed, epoch)`) for a fresh order each epoch.
 */
export function batches(x: Tensor, y: Tensor, options: BatchOptions): BatchIterable {
  const n = sameRowCount('batches', x, y);
  const size = checkInteger('batches', 'batchSize', options.batchSize);
  if (options.shuffle && options.seed === undefined) {
    throw new ChainruleError(
      'batches',
      'shuffle is on but no seed was given',
      'pass a seed (e.g. { shuffle: true, seed: 42 }) so the batch order is reproducible',
    );
  }
  const length = options.dropLast ? Math.floor(n / size) : Math.ceil(n / size);
  const order = options.shuffle ? new Rng(options.seed as Seed).permutation(n) : null;
  return {
    length,
    *[Symbol.iterator](): Iterator<Batch> {
      for (let b = 0; b < length; b++) {
        const start = b * size;
        const end = Math.min(n, start + size);
        const index = order ? order.subarray(start, end) : rangeOf(start, end);
        yield { x: takeRows(x, index), y: takeRows(y, index) };
      }
    },
  };
}

function rangeOf(start: number, end: number): Int32Array {
  const out = new Int32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
