import { Map as ImmutableMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@chainrule/autograd';
import { DataError, ShapeError, grad, jit, randn, softmax, tensor } from '@chainrule/autograd';
import type { Params } from '../src/index.js';
import { binaryCrossEntropy, crossEntropy, dense, fit, huber, l1, l2, mae, mse, sgd } from '../src/index.js';

describe('regression losses', () => {
  it('mse: the lecture’s example, prediction [0.2, 0.7] vs truth [0, 1], is 0.065', () => {
    // (0.04 + 0.09) / 2 in float64: exact up to one rounding, so 1e-15.
    expect(mse(tensor([0.2, 0.7]), tensor([0, 1])).item()).toBeCloseTo(0.065, 15);
    expect(mse(tensor([0.2, 0.7]), tensor([0, 1]), { reduction: 'sum' }).item()).toBeCloseTo(0.13, 15);
    expect(mse(tensor([0.2, 0.7]), tensor([0, 1]), { reduction: 'none' }).shape).toEqual([2]);
  });

  it('mae and huber', () => {
    const p = tensor([0, 0, 0]);
    const y = tensor([0.5, -2, 3]);
    expect(mae(p, y).item()).toBeCloseTo(5.5 / 3, 15);
    // δ = 1: ½·0.25, 1·(2 − ½), 1·(3 − ½).
    expect(huber(p, y, { reduction: 'sum' }).item()).toBeCloseTo(0.125 + 1.5 + 2.5, 15);
    expect(huber(p, y, { delta: 2, reduction: 'none' }).toFlatArray()).toEqual([0.125, 2, 4]);
  });

  it('mismatched shapes are a ShapeError instead of silent broadcasting', () => {
    expect(() => mse(tensor([[1], [2]]), tensor([1, 2]))).toThrow(ShapeError);
    expect(() => mse(tensor([[1], [2]]), tensor([1, 2]))).toThrow(
      /mse: prediction \[2,1\] and target \[2\] differ/,
    );
  });
});

describe('classification losses', () => {
  const logits = tensor([
    [2, 1, 0.1],
    [0.5, 2.5, -1],
  ]);
  const labels = tensor(new Int32Array([0, 1]));
  const reference = () => {
    const rows = logits.toArray() as number[][];
    return [0, 1].map((i) => {
      const lse = Math.log(rows[i].reduce((s, v) => s + Math.exp(v), 0));
      return lse - rows[i][[0, 1][i]];
    });
  };

  it('crossEntropy from logits equals −log softmax at the label (int labels or one-hot)', () => {
    const [a, b] = reference();
    expect(crossEntropy(logits, labels).item()).toBeCloseTo((a + b) / 2, 14);
    expect(
      crossEntropy(
        logits,
        tensor([
          [1, 0, 0],
          [0, 1, 0],
        ]),
      ).item(),
    ).toBeCloseTo((a + b) / 2, 14);
    expect(crossEntropy(logits, labels, { reduction: 'sum' }).item()).toBeCloseTo(a + b, 14);
  });

  it('crossEntropy from probabilities is −Σ y·log p (the lecture’s formula)', () => {
    const probs = logits.softmax();
    const [a, b] = reference();
    expect(crossEntropy(probs, labels, { fromLogits: false }).item()).toBeCloseTo((a + b) / 2, 12);
  });

  it('logits of ±1000 stay finite, and the gradient is softmax − onehot', () => {
    const big = tensor([[1000, -1000, 0]]);
    expect(crossEntropy(big, tensor(new Int32Array([1]))).item()).toBeCloseTo(2000, 9);
    const g = grad((z: Tensor) => crossEntropy(z, tensor(new Int32Array([0]))))(tensor([[0, 0]]));
    expect(g.toFlatArray()).toEqual([-0.5, 0.5]);
  });

  it('a label out of range is a DataError naming the row and the class count', () => {
    const call = () => crossEntropy(logits, tensor(new Int32Array([0, 3])));
    expect(call).toThrow(DataError);
    expect(call).toThrow(/crossEntropy: label 3 at row 1 is out of range for 3 classes/);
  });

  it('under jit, crossEntropy follows each call’s labels, and out-of-range labels still throw', () => {
    for (const fromLogits of [true, false]) {
      const loss = jit((p: Tensor, labels: Tensor) =>
        crossEntropy(p, labels, { fromLogits, reduction: 'none' }),
      );
      const scores = fromLogits ? logits : softmax(logits, 1);
      for (const labels of [new Int32Array([0, 2]), new Int32Array([1, 0])]) {
        const y = tensor(labels);
        const expected = crossEntropy(scores, y, { fromLogits, reduction: 'none' }).toFlatArray();
        expect(loss(scores, y).toFlatArray()).toEqual(expected);
      }
      expect(() => loss(scores, tensor(new Int32Array([0, 3])))).toThrow(/out of range/);
    }
  });

  it('binaryCrossEntropy from logits (stable) and from probabilities agree', () => {
    const z = tensor([-3, 0.5, 4]);
    const y = tensor([0, 1, 1]);
    const fromProbs = binaryCrossEntropy(z.sigmoid(), y, { fromLogits: false }).item();
    const expected =
      [-3, 0.5, 4].reduce((s, v, i) => {
        const p = 1 / (1 + Math.exp(-v));
        const t = [0, 1, 1][i];
        return s - (t * Math.log(p) + (1 - t) * Math.log(1 - p));
      }, 0) / 3;
    expect(binaryCrossEntropy(z, y).item()).toBeCloseTo(expected, 14);
    expect(fromProbs).toBeCloseTo(expected, 12);
    expect(Number.isFinite(binaryCrossEntropy(tensor([800]), tensor([0])).item())).toBe(true);
  });
});

describe('regularizers', () => {
  const params: Params = ImmutableMap({
    '0.weight': tensor([
      [1, -2],
      [3, -4],
    ]),
    '0.bias': tensor([10, -10]),
  });

  it('l1 = λΣ|w| and l2 = λΣw², exactly as in the lecture', () => {
    expect(l1(params, 0.5).item()).toBe(0.5 * (1 + 2 + 3 + 4 + 10 + 10));
    expect(l2(params, 0.5).item()).toBe(0.5 * (1 + 4 + 9 + 16 + 100 + 100));
  });

  it('skipBiases leaves bias vectors out', () => {
    expect(l1(params, 1, { skipBiases: true }).item()).toBe(10);
    expect(l2(params, 1, { skipBiases: true }).item()).toBe(30);
  });

  describe('effect on training (10 features, 2 relevant, full-batch descent)', () => {
    const x = randn([40, 10], { seed: 11 });
    const noise = randn([40, 1], { seed: 12 }).mul(0.5);
    const coefficients = tensor([[3], [-2], [0], [0], [0], [0], [0], [0], [0], [0]]);
    const y = x.matmul(coefficients).add(noise);
    const model = dense(10, 1, { dtype: 'float64', bias: false });
    const train = async (regularizer?: (p: Params) => Tensor) => {
      const r = await fit(
        model,
        { x, y },
        {
          epochs: 400,
          batchSize: 40,
          shuffle: false,
          optimizer: sgd({ lr: 0.05 }),
          regularizer,
          seed: 1,
          progress: false,
        },
      );
      return (r.params.get('weight') as Tensor).toFlatArray();
    };

    it('L1 gives more near-zero weights (|w| < 0.01) than no penalty; L2 a smaller norm', async () => {
      const plain = await train();
      const lasso = await train((p) => l1(p, 0.2));
      const ridge = await train((p) => l2(p, 0.1));
      const nearZero = (w: number[]) => w.filter((v) => Math.abs(v) < 0.01).length;
      const norm = (w: number[]) => Math.sqrt(w.reduce((s, v) => s + v * v, 0));
      expect(nearZero(lasso)).toBeGreaterThan(nearZero(plain));
      expect(nearZero(lasso)).toBeGreaterThanOrEqual(5); // 6 of the 8 irrelevant weights with this seed
      expect(norm(ridge)).toBeLessThan(norm(plain));
    });
  });
});
