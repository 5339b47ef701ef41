import type { Seed, Tensor } from '@chainrule/autograd';
import { DataError, Rng, ShapeError, deriveSeed, formatShape } from '@chainrule/autograd';
import { sameRowCount, takeRows } from '../rows.js';

/** Options of `trainTestSplit()`. */
export interface SplitOptions {
  /** The same seed gives the same split, bit for bit. */
  readonly seed: Seed;
  /** Fraction of the rows in (0, 1), or a number of rows, for the test set (default 0.25). */
  readonly testSize?: number;
  /**
   * Class labels, one per row (shape [N]): each class keeps its share in both parts (up to rounding).
   * Usually the classification target itself.
   */
  readonly stratify?: Tensor;
}

/** The two parts of a split and the original row numbers of each. */
export interface Split {
  readonly xTrain: Tensor;
  readonly xTest: Tensor;
  readonly yTrain: Tensor;
  readonly yTest: Tensor;
  readonly trainIndex: Int32Array;
  readonly testIndex: Int32Array;
}

/**
 * Splits rows into a training and a test part at random (seeded). The test part has ⌈testSize·N⌉ rows for a
 * fraction, as in scikit-learn; both parts come in shuffled order.
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: SplitOptions): Split {
  const n = sameRowCount('trainTestSplit', x, y);
  const nTest = testCount(n, options.testSize ?? 0.25);
  const rng = new Rng(deriveSeed(options.seed, 'split'));
  let testIndex: Int32Array;
  let trainIndex: Int32Array;
  if (options.stratify) {
    const classes = groupRows(options.stratify, n);
    const quotas = stratifiedQuotas(classes, n, nTest);
    const test: number[] = [];
    const train: number[] = [];
    classes.forEach((rows, c) => {
      const order = rng.permutation(rows.length);
      order.forEach((k, j) => (j < quotas[c] ? test : train).push(rows[k]));
    });
    testIndex = shuffled(Int32Array.from(test), rng);
    trainIndex = shuffled(Int32Array.from(train), rng);
  } else {
    const order = rng.permutation(n);
    testIndex = order.slice(0, nTest);
    trainIndex = order.slice(nTest);
  }
  return {
    xTrain: takeRows(x, trainIndex),
    xTest: takeRows(x, testIndex),
    yTrain: takeRows(y, trainIndex),
    yTest: takeRows(y, testIndex),
    trainIndex,
    testIndex,
  };
}

function testCount(n: number, testSize: number): number {
  const count = testSize > 0 && testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (!Number.isInteger(count) || count < 1 || count >= n) {
    throw new DataError(
      'trainTestSplit',
      `testSize ${testSize} leaves no rows in one part (N = ${n})`,
      'use a fraction in (0, 1) or a whole number of rows between 1 and N − 1',
    );
  }
  return count;
}

/** Row numbers of each distinct label value, classes in order of first appearance. */
function groupRows(labels: Tensor, n: number): number[][] {
  if (labels.ndim !== 1 || labels.shape[0] !== n) {
    throw new ShapeError(
      'trainTestSplit',
      `stratify has shape ${formatShape(labels.shape)}, expected [${n}] (one label per row)`,
      'pass the class labels as a 1-D tensor, e.g. the int32 targets',
    );
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const rows = groups.get(labels.data[i]);
    if (rows) rows.push(i);
    else groups.set(labels.data[i], [i]);
  }
  return [...groups.values()];
}

/**
 * How many rows of each class go to the test part: the proportional share rounded down, then the rows still
 * missing go to the classes with the largest remainders (ties: the earlier class).
 */
function stratifiedQuotas(classes: readonly number[][], n: number, nTest: number): number[] {
  const exact = classes.map((rows) => (rows.length * nTest) / n);
  const quotas = exact.map(Math.floor);
  const missing = nTest - quotas.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => ({ c, r: e - quotas[c] })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (let k = 0; k < missing; k++) quotas[byRemainder[k].c]++;
  return quotas;
}

function shuffled(rows: Int32Array, rng: Rng): Int32Array {
  return rng.permutation(rows.length).map((k) => rows[k]);
}
