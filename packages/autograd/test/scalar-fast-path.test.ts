import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allOps,
  apply,
  gradients,
  mul,
  relu,
  sub,
  add,
  square,
  tanh,
  tensor,
  variable,
  scalar,
  div,
} from '../src/index.js';
import type { OpDef, Tensor } from '../src/index.js';
import { inDomainOf } from '../src/testing/index.js';

const fuzz = process.env.CHAINRULE_FUZZ === '1';
const runs = (n: number) => ({ numRuns: fuzz ? n * 10 : n, seed: fuzz ? Date.now() : 17 });

const withScalarRules = allOps().filter((op) => op.scalar !== undefined);

/** The same value as a 1-element, 1-d tensor: it takes the general path (shape rule, kernels). */
const asVector = (t: Tensor): Tensor => tensor(Float64Array.of(t.item()), { shape: [1] });

describe('the 0-d fast path (plain-number rules)', () => {
  it('covers the ops a scalar network uses', () => {
    const names = withScalarRules.map((op) => op.name);
    for (const name of [
      'add',
      'sub',
      'mul',
      'div',
      'pow',
      'neg',
      'square',
      'exp',
      'log',
      'tanh',
      'sigmoid',
      'relu',
    ]) {
      expect(names).toContain(name);
    }
  });

  for (const op of withScalarRules as OpDef[]) {
    it(`${op.name}: value and every input's cotangent equal the general path's, bit for bit`, () => {
      fc.assert(
        fc.property(
          inDomainOf(op, { maxRank: 0 }),
          fc.double({ min: -3, max: 3, noNaN: true }),
          (sample, g) => {
            const out = apply(op, sample.inputs, sample.attrs);
            const vectors = sample.inputs.map(asVector);
            const general = apply(op, vectors, sample.attrs);
            expect(out.shape).toEqual([]);
            expect(Object.is(out.item(), general.item())).toBe(true);
            const cotangents = op.vjp({
              g: tensor(Float64Array.of(g), { shape: [1] }),
              inputs: vectors,
              out: general,
              attrs: sample.attrs,
              needs: vectors.map(() => true),
            });
            const [a, b] = sample.inputs.map((t) => t.item());
            const io = Float64Array.of(g, a, b ?? 0, out.item());
            op.scalar!.vjp(io, sample.attrs);
            expect(cotangents).toHaveLength(sample.inputs.length);
            cotangents.forEach((c, i) => {
              expect(c).not.toBeNull();
              expect(Object.is(io[i], c!.item())).toBe(true);
            });
          },
        ),
        runs(30),
      );
    });
  }

  it('float32 0-d values round once, like the float32 kernels', () => {
    const a = tensor(Float32Array.of(0.1), { shape: [] });
    const b = tensor(Float32Array.of(0.7), { shape: [] });
    const fast = div(a, b);
    const general = div(
      tensor(Float32Array.of(0.1), { shape: [1] }),
      tensor(Float32Array.of(0.7), { shape: [1] }),
    );
    expect(fast.dtype).toBe('float32');
    expect(fast.item()).toBe(general.item());
    expect(fast.item()).toBe(Math.fround(Math.fround(0.1) / Math.fround(0.7)));
  });

  it('a scalar network differentiates to the same bits as the same network on 1-element tensors', () => {
    const build = (lift: (v: number) => Tensor) => {
      const ws = [0.3, -1.2, 0.8, 0.05].map((v) => variable(lift(v)));
      const x = lift(0.7);
      const h = relu(add(mul(ws[0], x), ws[1]));
      const y = tanh(add(mul(ws[2], h), square(ws[3])));
      const loss = relu(sub(1, mul(y, -1)));
      return { loss, ws };
    };
    const scalarNet = build((v) => scalar(v));
    const vectorNet = build((v) => tensor([v]));
    const fast = gradients(scalarNet.loss, scalarNet.ws).map((g) => g.item());
    const general = gradients(vectorNet.loss, vectorNet.ws).map((g) => g.item());
    expect(fast).toEqual(general);
    // With createGraph the gradients are graphs built from the same ops, and still the same numbers.
    const graphs = gradients(scalarNet.loss, scalarNet.ws, { createGraph: true });
    expect(graphs.map((g) => g.item())).toEqual(general);
    expect(graphs[0].tracked).toBe(true);
  });
});
