import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GraphError,
  gradients,
  identity,
  log,
  nameScope,
  ones,
  scalar,
  sigmoid,
  simplify,
  simplifyAll,
  softmax,
  sum,
  toExpr,
  topologicalOrder,
  variable,
} from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';

describe('simplify: derivatives read as formulas', () => {
  const x = variable(0.5, { name: 'x' });
  const y = x.mul(x).add(x.sin());
  const [dy] = gradients(y, [x], { createGraph: true });

  it('d/dx (x·x + sin x) simplifies to cos(x) + 2·x', () => {
    // Raw: 1·cos(x) + 1·x + 1·x. mulOne drops the seeds, collectTerms merges x + x in first-appearance order.
    const s = simplify(dy);
    expect(toExpr(s)).toBe('cos(x) + 2·x');
    expect(s.item()).toBe(dy.item());
  });

  it('the second derivative simplifies to 2 − sin(x), from the raw or the simplified first derivative', () => {
    const [raw] = gradients(dy, [x], { createGraph: true });
    expect(toExpr(simplify(raw))).toBe('2 − sin(x)');
    const [fromSimplified] = gradients(simplify(dy), [x], { createGraph: true });
    expect(toExpr(simplify(fromSimplified))).toBe('2 − sin(x)');
    // 2 − sin(0.5) exactly as the engine computes it; the two graphs round identically here.
    expect(simplify(raw).item()).toBe(2 - Math.sin(0.5));
  });

  it('keeps the variables as the same objects, so the result differentiates with respect to them', () => {
    const s = simplify(dy);
    expect(topologicalOrder([s])).toContain(x);
    const [d2] = gradients(s, [x]);
    // (cos x + 2x)' = 2 − sin x; one rounding of each op, so agreement to 1e-15.
    expect(Math.abs(d2.item() - (2 - Math.sin(0.5)))).toBeLessThan(1e-15);
  });
});

describe('simplify: sharing, shapes and scopes', () => {
  it('hash-conses equal subexpressions into one node (common-subexpression elimination)', () => {
    const x = variable([1, 2, 3], { name: 'x' });
    const twice = x.sin().mul(x.cos()).add(x.sin().mul(x.cos())); // sin and cos built twice
    expect(topologicalOrder([twice])).toHaveLength(8); // x and two each of sin, cos, mul; add
    const shared = simplify(twice, { rules: [] });
    expect(shared.inputs[0]).toBe(shared.inputs[1]);
    expect(topologicalOrder([shared])).toHaveLength(5); // x, sin, cos, mul, add
    expect(toExpr(simplify(twice))).toBe('2·sin(x)·cos(x)'); // 2·(sin(x)·cos(x)): · re-associates
  });

  it('shares across outputs with simplifyAll', () => {
    const x = variable(1, { name: 'x' });
    const [a, b] = simplifyAll([x.exp().add(1), x.exp().mul(2)]);
    expect(a.inputs[0]).toBe(b.inputs[0]);
  });

  it('x − x of separately built terms becomes zeros of the right shape and dtype', () => {
    const x = variable([1, 2, 3], { name: 'x', dtype: 'float32' });
    const s = simplify(x.tanh().sub(x.tanh()));
    expect(s.kind).toBe('constant');
    expect(s.shape).toEqual([3]);
    expect(s.dtype).toBe('float32');
    expect(s.toArray()).toEqual([0, 0, 0]);
  });

  it('broadcasts back when an identity drops the operand that set the shape', () => {
    const x = variable(2, { name: 'x' });
    const s = simplify(x.mul(ones([2, 2])));
    expect(s.shape).toEqual([2, 2]);
    expect(toExpr(s)).toBe('broadcast(x, [2,2])');
  });

  it('keeps name scopes on rebuilt nodes', () => {
    const x = variable(1, { name: 'x' });
    const y = nameScope('layer', () => x.mul(1).add(x).tanh());
    const s = simplify(y);
    expect(s.op?.name).toBe('tanh');
    expect(s.scope).toBe('layer');
    expect(s.inputs[0].scope).toBe('layer');
  });

  it('returns the same graph when there is nothing to do', () => {
    const x = variable(1, { name: 'x' });
    const y = x.sin().mul(x);
    expect(simplify(y)).toBe(y);
  });

  it('stabilises: log(σ(x)) and log(softmax(z)) stay finite where the originals are −∞', () => {
    const x = variable(-800, { name: 'x' });
    expect(log(sigmoid(x)).item()).toBe(-Infinity);
    expect(simplify(log(sigmoid(x))).item()).toBe(-800);
    const z = variable([1000, 0], { name: 'z' });
    expect(log(softmax(z)).toArray()).toEqual([0, -Infinity]);
    expect(simplify(log(softmax(z))).toArray()).toEqual([0, -1000]);
  });

  it('handles deep graphs without recursion limits: a chain of 20,000 ops, a sum of 1,000 terms', () => {
    const x = variable([0.5, 0.1], { name: 'x' });
    let chain = x;
    for (let k = 0; k < 20_000; k++) chain = k % 100 === 0 ? chain.tanh().mul(1) : chain.tanh();
    const simplified = simplify(chain);
    expect(topologicalOrder([simplified])).toHaveLength(20_001); // the ·1 are gone, the tanh chain stays
    let total = x.sin();
    for (let k = 1; k < 500; k++) total = total.add(x.mul(1 + k / 1024).sin()).add(x);
    // Bottom-up, each rewrite finds the merged k·x at the top of the sum, so all 499 copies of x merge.
    const merged = simplify(total);
    expect(merged.op?.name).toBe('add');
    expect(toExpr(merged.inputs[1])).toBe('499·x');
  });

  it('rejects a bad maxPasses', () => {
    expect(() => simplify(variable(1), { maxPasses: 0 })).toThrow(GraphError);
  });
});

/** A random expression over a vector x ([3]) and a scalar y, as a recipe to build on given variables. */
type Build = (x: Tensor, y: Tensor) => Tensor;

/** Bounds an argument to (−4, 4) so log∘σ and log∘softmax never underflow in the original graph. */
const bounded = (t: Tensor) => t.tanh().mul(4);

const leaf = fc.oneof(
  { arbitrary: fc.constant<Build>((x) => x), weight: 3 },
  { arbitrary: fc.constant<Build>((_x, y) => y), weight: 2 },
  {
    arbitrary: fc.constantFrom(0, 1, -1, 2, 0.5, 3).map<Build>((v) => () => scalar(v)),
    weight: 3,
  },
);

const expressions = fc.letrec<{ e: Build }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'medium', maxDepth: 6, withCrossShrink: true },
    { arbitrary: leaf, weight: 2 },
    {
      weight: 2,
      arbitrary: tie('e').chain((a) =>
        fc.constantFrom<Build>(
          (x, y) => a(x, y).neg(),
          (x, y) => a(x, y).sin(),
          (x, y) => a(x, y).cos(),
          (x, y) => a(x, y).tanh(),
          (x, y) => a(x, y).square(),
          (x, y) => a(x, y).tanh().exp(),
          (x, y) => identity(a(x, y)),
          (x, y) => log(sigmoid(bounded(a(x, y)))),
          (x, y) => log(scalar(1).sub(sigmoid(bounded(a(x, y))))),
          (x, y) => log(softmax(bounded(a(x, y).add(x)))),
          (x, y) => log(bounded(a(x, y)).exp()),
        ),
      ),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(tie('e'), tie('e')).chain(([a, b]) =>
        fc.constantFrom<Build>(
          (x, y) => a(x, y).add(b(x, y)),
          (x, y) => a(x, y).sub(b(x, y)),
          (x, y) => a(x, y).mul(b(x, y)),
          (x, y) => a(x, y).div(b(x, y).square().add(2)),
          (x, y) => a(x, y).sub(a(x, y)),
          (x, y) => a(x, y).add(a(x, y)).sub(b(x, y).mul(0)),
        ),
      ),
    },
  ),
})).e;

const input = fc.double({ min: -2, max: 2, noNaN: true });

describe('simplify never changes values (property)', () => {
  it('random graphs: the simplified value and gradients equal the original ones', () => {
    fc.assert(
      fc.property(expressions, fc.tuple(input, input, input), input, (build, xs, yv) => {
        const x = variable(xs, { name: 'x' });
        const y = variable(yv, { name: 'y' });
        const original = sum(build(x, y).add(ones([3]).mul(0)));
        const simplified = simplify(original);
        // Rewrites re-associate sums and fold constants, so the two differ only by rounding: 1e-9 relative.
        const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b));
        expect(close(simplified.item(), original.item())).toBe(true);
        const [gx, gy] = gradients(original, [x, y]);
        const [sx, sy] = gradients(simplified, [x, y]);
        gx.toFlatArray().forEach((v, i) => expect(close(sx.toFlatArray()[i], v)).toBe(true));
        expect(close(sy.item(), gy.item())).toBe(true);
      }),
      { seed: 20240611, numRuns: 300 },
    );
  });
});
