/**
 * XOR the lecture's way: a 2-4-1 network, sigmoid everywhere, no biases, weights uniform in [0, 1) (NumPy's
 * rand), sum-of-squares loss, full-batch gradient descent with learning rate 1 for 10,000 epochs.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@chainrule/autograd';
import { tensor } from '@chainrule/autograd';
import type { Params } from '../src/index.js';
import { dense, fit, init, mse, predict, sequential, sgd, sigmoid } from '../src/index.js';

const x = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const y = tensor([[0], [1], [1], [0]]);
const model = sequential([
  dense(2, 4, { bias: false, dtype: 'float64', weightInit: init.uniform() }),
  sigmoid(),
  dense(4, 1, { bias: false, dtype: 'float64', weightInit: init.uniform() }),
  sigmoid(),
]);

async function trainLectureWay(seed: number, epochs = 10_000) {
  return fit(
    model,
    { x, y },
    {
      epochs,
      batchSize: 4,
      shuffle: false,
      optimizer: sgd({ lr: 1 }),
      loss: (p, t) => mse(p, t, { reduction: 'sum' }),
      seed,
      progress: false,
    },
  );
}

function meanSquaredError(out: Tensor): number {
  return out.toFlatArray().reduce((s, v, i) => s + (v - y.data[i]) ** 2, 0) / 4;
}

/** The lecture's NumPy loop, written out in plain JS: feedforward, backprop, weights += d_weights. */
function lectureLoop(w1: number[][], w2: number[], epochs: number) {
  const X = x.toArray() as number[][];
  const Y = [0, 1, 1, 0];
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  for (let e = 0; e < epochs; e++) {
    const layer1 = X.map((r) => [0, 1, 2, 3].map((j) => sig(r[0] * w1[0][j] + r[1] * w1[1][j])));
    const out = layer1.map((h) => sig(h.reduce((s, v, j) => s + v * w2[j], 0)));
    const delta2 = out.map((o, i) => 2 * (Y[i] - o) * o * (1 - o));
    const dW2 = [0, 1, 2, 3].map((j) => layer1.reduce((s, h, i) => s + h[j] * delta2[i], 0));
    const delta1 = layer1.map((h, i) => h.map((v, j) => delta2[i] * w2[j] * v * (1 - v)));
    const dW1 = [0, 1].map((k) => [0, 1, 2, 3].map((j) => X.reduce((s, r, i) => s + r[k] * delta1[i][j], 0)));
    w1 = w1.map((row, k) => row.map((v, j) => v + dW1[k][j]));
    w2 = w2.map((v, j) => v + dW2[j]);
  }
  return { w1, w2 };
}

describe('XOR, the lecture’s way', () => {
  it('seed 42 reaches MSE < 0.01 and rounds to the XOR table', async () => {
    const result = await trainLectureWay(42);
    const out = predict(model, result, x);
    expect(meanSquaredError(out)).toBeLessThan(0.01);
    expect(out.toFlatArray().map(Math.round)).toEqual([0, 1, 1, 0]);
    expect(result.history.loss).toHaveLength(10_000);
  });

  it('fit’s update is exactly the lecture’s backprop (200 epochs from the same start)', async () => {
    const start = model.init({ seed: 7 });
    const result = await trainLectureWay(7, 200);
    const ref = lectureLoop(
      (start.get('0.weight') as Tensor).toArray() as number[][],
      (start.get('2.weight') as Tensor).toFlatArray(),
      200,
    );
    const params = result.params as Params;
    // Same float64 arithmetic in a different order (matmul vs scalar loops): agreement to 1e-12.
    (params.get('0.weight') as Tensor)
      .toFlatArray()
      .forEach((v, i) => expect(v).toBeCloseTo(ref.w1.flat()[i], 12));
    (params.get('2.weight') as Tensor).toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(ref.w2[i], 12));
  });

  it('20 of 20 seeds (0–19) converge to MSE < 0.01 with the XOR table', async () => {
    let converged = 0;
    for (let seed = 0; seed < 20; seed++) {
      const out = predict(model, await trainLectureWay(seed), x);
      if (meanSquaredError(out) < 0.01 && out.toFlatArray().map(Math.round).join() === '0,1,1,0') converged++;
    }
    expect(converged).toBe(20);
  });
});
