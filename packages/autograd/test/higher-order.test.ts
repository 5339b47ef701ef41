import { describe, expect, it } from 'vitest';
import {
  Rng,
  exp,
  gradients,
  hessian,
  jacobian,
  jvp,
  scalar,
  sigmoid,
  sin,
  tanh,
  tensor,
  variable,
  vjp,
} from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';

/** d^k f / dx^k at x via repeated createGraph differentiation. */
function derivatives(f: (x: Tensor) => Tensor, at: number, order: number): number[] {
  const x = variable(at);
  let y = f(x);
  const out: number[] = [];
  for (let k = 0; k < order; k++) {
    y = gradients(y, [x], { createGraph: true })[0];
    out.push(y.item());
  }
  return out;
}

// Closed forms in float64 agree with the graph to rounding; 1e-12 leaves room for a few ulps of cancellation.
const close = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThan(1e-12 * Math.max(1, Math.abs(b)));

describe('higher-order derivatives match closed forms', () => {
  it.each([-1.7, -0.3, 0, 0.4, 2.2])('tanh at %f', (x) => {
    const t = Math.tanh(x);
    const [d1, d2, d3] = derivatives(tanh, x, 3);
    close(d1, 1 - t * t);
    close(d2, -2 * t * (1 - t * t));
    close(d3, -2 * (1 - t * t) * (1 - 3 * t * t));
  });

  it.each([-3, -0.5, 0, 1.1, 4])('sigmoid at %f', (x) => {
    const s = 1 / (1 + Math.exp(-x));
    const [d1, d2, d3] = derivatives(sigmoid, x, 3);
    close(d1, s * (1 - s));
    close(d2, s * (1 - s) * (1 - 2 * s));
    close(d3, s * (1 - s) * (1 - 6 * s + 6 * s * s));
  });

  it.each([-2, 0, 0.7, 1.9])('exp(x)·sin(x) at %f', (x) => {
    const [d1, d2, d3] = derivatives((v) => exp(v).mul(sin(v)), x, 3);
    const e = Math.exp(x);
    close(d1, e * (Math.sin(x) + Math.cos(x)));
    close(d2, 2 * e * Math.cos(x));
    close(d3, 2 * e * (Math.cos(x) - Math.sin(x)));
  });

  it('Hessian of the Rosenbrock function at (1.5, −0.5) equals the closed form', () => {
    const rosenbrock = (p: Tensor) => {
      const x = p.slice([0], [1]).sum();
      const y = p.slice([1], [1]).sum();
      return scalar(1).sub(x).square().add(y.sub(x.square()).square().mul(100));
    };
    const [x, y] = [1.5, -0.5];
    const h = hessian(rosenbrock)(tensor([x, y]));
    expect(h.shape).toEqual([2, 2]);
    const expected = [
      [2 - 400 * (y - x * x) + 800 * x * x, -400 * x],
      [-400 * x, 200],
    ];
    expected.flat().forEach((e, i) => close(h.data[i], e));
  });
});

describe('forward and reverse mode agree', () => {
  const f = (x: Tensor) =>
    x
      .matmul(
        tensor([
          [0.3, -1.2, 0.5],
          [2.0, 0.1, -0.7],
        ]),
      )
      .tanh()
      .mul(x.sum(1, true).sin());

  it('⟨J·v, u⟩ = ⟨v, Jᵀ·u⟩ on random inputs', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const random = (shape: number[]) =>
        tensor(
          Float64Array.from({ length: shape[0] * shape[1] }, () => rng.normal()),
          { shape },
        );
      const x = random([4, 2]);
      const v = random([4, 2]);
      const u = random([4, 3]);
      const { tangent } = jvp(f, [x], [v]);
      const { vjp: pull } = vjp(f, x);
      const [jtu] = pull(u);
      const lhs = tangent.mul(u).sum().item();
      const rhs = v.mul(jtu).sum().item();
      // Two float64 contractions of ~12 terms: agreement to 1e-12 relative.
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * Math.max(1, Math.abs(lhs)));
    }
  });

  it('jacobian rows equal vjps with unit cotangents, and columns equal jvps with unit tangents', () => {
    const x = tensor([
      [0.2, -0.4],
      [1.0, 0.5],
    ]);
    const g = (t: Tensor) =>
      t
        .matmul(
          tensor([
            [1.5, -0.2, 0.3],
            [0.7, 0.4, -1.1],
          ]),
        )
        .tanh();
    const jac = jacobian(g)(x);
    expect(jac.shape).toEqual([2, 3, 2, 2]);
    for (let i = 0; i < 4; i++) {
      const v = tensor(
        new Float64Array(4).map((_, k) => (k === i ? 1 : 0)),
        { shape: [2, 2] },
      );
      const column = jvp(g, [x], [v]).tangent.toFlatArray();
      column.forEach((c, o) => expect(jac.data[o * 4 + i]).toBeCloseTo(c, 14));
    }
  });
});
