import { describe, expect, it } from 'vitest';
import { gradients, grad, scalar, sigmoid, square, variable } from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';

/**
 * The lecture's worked backpropagation example: a 2-2-2 network, sigmoid everywhere, J = ½Σ(target − out)².
 * The expected values come from the lecture and from an independent hand-written chain rule below.
 */
describe('lecture backprop example (2-2-2, sigmoid, α = 0.5)', () => {
  const inputs = [0.05, 0.1];
  const w0 = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55];
  const [b1, b2] = [0.35, 0.6];
  const targets = [0.01, 0.99];

  function forward(w: readonly Tensor[]) {
    const [i1, i2] = inputs;
    const inH1 = w[0].mul(i1).add(w[1].mul(i2)).add(b1);
    const outH1 = sigmoid(inH1);
    const outH2 = sigmoid(w[2].mul(i1).add(w[3].mul(i2)).add(b1));
    const outO1 = sigmoid(w[4].mul(outH1).add(w[5].mul(outH2)).add(b2));
    const outO2 = sigmoid(w[6].mul(outH1).add(w[7].mul(outH2)).add(b2));
    const loss = scalar(0.5).mul(square(outO1.sub(targets[0])).add(square(outO2.sub(targets[1]))));
    return { inH1, outH1, outH2, outO1, outO2, loss };
  }

  /** The chain rule written out by hand with plain numbers, independent of the engine. */
  function handGradients(): number[] {
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    const [i1, i2] = inputs;
    const h1 = s(w0[0] * i1 + w0[1] * i2 + b1);
    const h2 = s(w0[2] * i1 + w0[3] * i2 + b1);
    const o1 = s(w0[4] * h1 + w0[5] * h2 + b2);
    const o2 = s(w0[6] * h1 + w0[7] * h2 + b2);
    const deltaO1 = (o1 - targets[0]) * o1 * (1 - o1);
    const deltaO2 = (o2 - targets[1]) * o2 * (1 - o2);
    const deltaH1 = (deltaO1 * w0[4] + deltaO2 * w0[6]) * h1 * (1 - h1);
    const deltaH2 = (deltaO1 * w0[5] + deltaO2 * w0[7]) * h2 * (1 - h2);
    return [
      deltaH1 * i1,
      deltaH1 * i2,
      deltaH2 * i1,
      deltaH2 * i2,
      deltaO1 * h1,
      deltaO1 * h2,
      deltaO2 * h1,
      deltaO2 * h2,
    ];
  }

  const w = w0.map((v, i) => variable(v, { name: `w${i + 1}` }));
  const f = forward(w);
  const g = gradients(f.loss, w).map((t) => t.item());

  it('computes the forward values the lecture prints', () => {
    // The lecture rounds to 3 decimals (4 for in_h1), so compare at that precision.
    expect(f.inH1.item()).toBeCloseTo(0.3775, 10);
    expect(f.outH1.item()).toBeCloseTo(0.593, 3);
    expect(f.outH2.item()).toBeCloseTo(0.597, 3);
    expect(f.outO1.item()).toBeCloseTo(0.751, 3);
    expect(f.outO2.item()).toBeCloseTo(0.773, 3);
    expect(f.loss.item()).toBeCloseTo(0.298, 3);
  });

  it('gives ∂J/∂w5 ≈ 0.082167 and w5 ≈ 0.35892 after one step', () => {
    expect(g[4]).toBeCloseTo(0.082167, 6);
    expect(w0[4] - 0.5 * g[4]).toBeCloseTo(0.35892, 5);
  });

  it('matches the hand-written chain rule for all eight weights and their updates', () => {
    const hand = handGradients();
    // Both are float64 evaluations of the same expression in a different order: agree to ~1e-15.
    g.forEach((gi, i) => expect(gi).toBeCloseTo(hand[i], 14));
    const updated = w0.map((wi, i) => wi - 0.5 * g[i]);
    const expected = w0.map((wi, i) => wi - 0.5 * hand[i]);
    updated.forEach((u, i) => expect(u).toBeCloseTo(expected[i], 14));
    // Spot values from the classic version of this example (rounded to 8 decimals there).
    expect(updated[5]).toBeCloseTo(0.408666186, 8);
    expect(updated[6]).toBeCloseTo(0.51130127, 8);
    expect(updated[7]).toBeCloseTo(0.561370121, 8);
    expect(updated[0]).toBeCloseTo(0.149780716, 8);
  });
});

describe('lecture gradient descent example: J(w) = w², w = 5, lr = 0.1', () => {
  const dJ = grad((w: Tensor) => w.mul(w));

  it('takes w from 5 to 4 in one step', () => {
    const w = scalar(5);
    expect(dJ(w).item()).toBe(10);
    expect(w.sub(dJ(w).mul(0.1)).item()).toBe(4);
  });

  it('converges towards 0 (w_k = 5·0.8^k)', () => {
    let w = scalar(5);
    for (let k = 1; k <= 50; k++) {
      w = w.sub(dJ(w).mul(0.1));
      // Each step multiplies by exactly 0.8 up to float64 rounding.
      expect(w.item()).toBeCloseTo(5 * 0.8 ** k, 12);
    }
    expect(Math.abs(w.item())).toBeLessThan(1e-4);
  });
});
