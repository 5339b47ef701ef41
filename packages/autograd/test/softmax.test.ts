import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  DataError,
  ShapeError,
  gather,
  grad,
  logSoftmax,
  mean,
  neg,
  reshape,
  softmax,
  softmaxCrossEntropy,
  sum,
  tensor,
  transpose,
} from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';
import { gradcheck } from '@chainrule/autograd/testing';

const labels = (...values: number[]) => tensor(Int32Array.from(values));

/** −logSoftmax(x)[label] per row, through the unfused ops. */
function composed(logits: Tensor, y: Tensor): Tensor {
  const [rows, classes] = logits.shape;
  const flat = Int32Array.from({ length: rows }, (_, r) => r * classes + y.data[r]);
  return neg(gather(reshape(logSoftmax(logits, -1), [rows * classes]), tensor(flat), 0));
}

describe('softmaxCrossEntropy', () => {
  it('is log Σ exp(x) − x[label] for each row', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [0.5, 0.5, 0.5],
      ],
      { dtype: 'float64' },
    );
    const loss = softmaxCrossEntropy(x, labels(2, 0));
    expect(loss.shape).toEqual([2]);
    // Written out with Math: float64 throughout, so only the last bit or two may differ.
    const expected = [Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3, Math.log(3)];
    (loss.toArray() as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 14));
  });

  it('agrees with −logSoftmax picked at the label, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor(
        Array.from({ length: 4 }, (_, r) => Array.from({ length: 5 }, (_, c) => Math.sin(7 * r + c) * 4)),
        { dtype },
      );
      const y = labels(0, 4, 2, 2);
      const fused = softmaxCrossEntropy(x, y).toArray() as number[];
      const reference = composed(x, y).toArray() as number[];
      // The composition rounds the log-probabilities to the dtype before picking one; the fused op rounds once.
      const tolerance = dtype === 'float32' ? 1e-6 : 1e-14;
      fused.forEach((v, i) => expect(Math.abs(v - reference[i])).toBeLessThanOrEqual(tolerance * (1 + v)));
    }
  });

  it('stays finite for logits of ±1e4, and propagates NaN', () => {
    const x = tensor([
      [1e4, 0, -1e4],
      [0, 1e4, NaN],
    ]);
    const [first, second] = softmaxCrossEntropy(x, labels(1, 0)).toArray() as number[];
    expect(first).toBe(1e4);
    expect(second).toBeNaN();
  });

  it('takes any leading batch axes', () => {
    const x = tensor([[[1, 2, 3]], [[3, 2, 1]]]);
    const y = tensor(Int32Array.of(0, 0), { shape: [2, 1] });
    const loss = softmaxCrossEntropy(x, y);
    expect(loss.shape).toEqual([2, 1]);
    expect(loss.toArray()).toEqual([[expect.closeTo(2.40760596, 6)], [expect.closeTo(0.40760596, 6)]]);
  });

  it('has the gradient (softmax(x) − onehot(label)) · g, and correct derivatives up to third order', () => {
    const x = tensor(
      [
        [0.2, -1, 0.7],
        [1.5, 0.3, -0.4],
      ],
      { dtype: 'float64' },
    );
    const y = labels(1, 0);
    const g = grad((v: Tensor) => mean(softmaxCrossEntropy(v, y)))(x);
    const p = softmax(x, -1).toArray() as number[][];
    const expected = p.map((row, r) => row.map((v, c) => (v - (c === y.data[r] ? 1 : 0)) / 2));
    (g.toArray() as number[][]).forEach((row, r) =>
      row.forEach((v, c) => expect(v).toBeCloseTo(expected[r][c], 14)),
    );
    expect(gradcheck((v) => softmaxCrossEntropy(v, y), [x], { order: 3 }).passed).toBe(true);
  });

  it('refuses labels out of range, mismatched shapes and integer logits, saying what to pass', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => softmaxCrossEntropy(x, labels(0, 3))).toThrow(DataError);
    expect(() => softmaxCrossEntropy(x, labels(0, 3))).toThrow(
      /softmaxCrossEntropy: label 3 at position 1 is out of range for 3 classes[\s\S]*hint: labels must be class indices in \[0, 2\]/,
    );
    expect(() => softmaxCrossEntropy(x, labels(0, -1))).toThrow(DataError);
    expect(() => softmaxCrossEntropy(x, labels(0, 1, 2))).toThrow(ShapeError);
    expect(() => softmaxCrossEntropy(x, labels(0, 1, 2))).toThrow(
      /logits \[2,3\] do not fit labels \[3\][\s\S]*hint: logits are \[...batch, classes\]/,
    );
    expect(() => softmaxCrossEntropy(tensor([[1, 2]], { dtype: 'int32' }), labels(0))).toThrow(DTypeError);
    expect(() => softmaxCrossEntropy(x, tensor([0, 1]))).toThrow(DTypeError);
  });
});

describe('softmax and logSoftmax along any axis', () => {
  it('give the same bits along a middle axis as along the last axis of the transposed tensor', () => {
    const x = tensor(
      Array.from({ length: 3 }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.cos(5 * i + j) * 3)),
      { dtype: 'float64' },
    );
    // Each line is walked in index order whatever its stride, so the results are identical, not just close.
    expect(softmax(x, 0).toArray()).toEqual(transpose(softmax(transpose(x), 1)).toArray());
    expect(logSoftmax(x, 0).toArray()).toEqual(transpose(logSoftmax(transpose(x), 1)).toArray());
  });

  it('handle a line longer than the shared scratch (5,000 classes): probabilities sum to 1', () => {
    const x = tensor(Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i)));
    // 5,000 terms of about 2e-4 summed in float64: the sum is 1 to well within 1e-12.
    expect(sum(softmax(x)).item()).toBeCloseTo(1, 12);
    const logs = logSoftmax(x).toArray() as number[];
    const probabilities = softmax(x).toArray() as number[];
    logs.forEach((v, i) => expect(v).toBeCloseTo(Math.log(probabilities[i]), 12));
  });
});
