/**
 * jit: a compiled function gives the eager function's bits at every call, whatever the values, and refuses
 * what it could not repeat (values read into JS, random numbers, noGrad on traced values).
 */
import fc from 'fast-check';
import { List, Map as ImmutableMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import {
  GraphError,
  Rng,
  add,
  addRelu,
  bufferPoolStats,
  fillDropoutMask,
  grad,
  gradients,
  jit,
  keyedDropoutMask,
  logSoftmax,
  matmul,
  mean,
  mul,
  noGrad,
  oneHot,
  randn,
  recycle,
  softmaxCrossEntropy,
  square,
  stopGradient,
  sub,
  sum,
  tensor,
  tidy,
  valueAndGrad,
  variable,
} from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { expression, runSettings } from '../src/testing/index.js';

const settings = runSettings(150);

/** Each tensor's values as a plain array (NaN equals NaN under toEqual). */
const valuesOf = (ts: readonly Tensor[]) => ts.map((t) => Array.from(t.data));

/** The values a function gives when called eagerly on variables made from `args`. */
const eager = (f: (...xs: Tensor[]) => Tensor[], args: readonly Tensor[]) =>
  valuesOf(f(...args.map((a) => (a.dtype === 'int32' ? a : variable(a)))));

/** The gradients of a two-layer classifier's loss, as a training step computes them. */
function mlpGradients(x: Tensor, labels: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor[] {
  const logits = add(matmul(addRelu(matmul(x, w1), b1), w2), b2);
  return gradients(mean(softmaxCrossEntropy(logits, labels)), [w1, b1, w2, b2]);
}

function mlpArguments(seed: number, dtype: 'float32' | 'float64', rows = 16): Tensor[] {
  const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7 + seed) % 10);
  return [
    randn([rows, 100], { seed: `${seed}x`, dtype }),
    tensor(labels, { shape: [rows] }),
    randn([100, 80], { seed: `${seed}w1`, dtype }),
    randn([80], { seed: `${seed}b1`, dtype }),
    randn([80, 10], { seed: `${seed}w2`, dtype }),
    randn([10], { seed: `${seed}b2`, dtype }),
  ];
}

describe('jit', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`replays a classifier's gradients with the eager bits at every call (${dtype})`, () => {
      const step = jit(mlpGradients);
      const calls = [1, 2, 3].map((seed) => mlpArguments(seed, dtype));
      const results = calls.map((args) => step(...(args as Parameters<typeof mlpGradients>)));
      calls.forEach((args, i) => {
        expect(valuesOf(results[i])).toEqual(eager(mlpGradients, args));
        expect(results[i].every((g) => g.kind === 'constant' && g.dtype === dtype)).toBe(true);
      });
      // The later calls did not write over the first call's results.
      expect(valuesOf(results[0])).toEqual(eager(mlpGradients, calls[0]));
      expect(step.traces).toBe(1);
    });
  }

  it('takes and returns parameter trees: gradients by key, and a new structure traces again', () => {
    type Params = ImmutableMap<string, Tensor>;
    const loss = (p: Params, x: Tensor) => sum(square(add(matmul(x, p.get('w')!), p.get('b')!)));
    const step = jit((p: Params, x: Tensor) => {
      const { value, grads } = valueAndGrad<Params>(loss)(p, x);
      return [value, grads, List([mul(value, 2)])] as const;
    });
    const params = (seed: number): Params =>
      ImmutableMap({ w: randn([3, 2], { seed: `w${seed}` }), b: randn([2], { seed: `b${seed}` }) });
    for (const seed of [1, 2]) {
      const p = params(seed);
      const x = randn([4, 3], { seed: `x${seed}` });
      const [value, grads, doubled] = step(p, x);
      const eager = valueAndGrad<Params>(loss)(p, x);
      expect(value.item()).toBe(eager.value.item());
      expect([...grads.keys()]).toEqual(['w', 'b']);
      for (const key of ['w', 'b'])
        expect(grads.get(key)!.toFlatArray()).toEqual(eager.grads.get(key)!.toFlatArray());
      expect(doubled.get(0)!.item()).toBe(2 * eager.value.item());
    }
    expect(step.traces).toBe(1);
    step(ImmutableMap({ b: params(3).get('b')!, w: params(3).get('w')! }), randn([4, 3], { seed: 3 }));
    expect(step.traces).toBe(2); // the same leaves under other keys' order are another structure
  });

  it('traces once per signature: a new shape or dtype traces again', () => {
    const f = jit((x: Tensor) => mul(sum(x), 2));
    f(tensor([1, 2]));
    f(tensor([5, 6]));
    expect(f.traces).toBe(1);
    expect(f(tensor([1, 2, 3])).item()).toBe(12);
    expect(f(tensor([1, 2], { dtype: 'float32' })).item()).toBe(6);
    expect(f.traces).toBe(3);
  });

  it('replays one kernel call per recorded op, and none for constants', () => {
    const f = jit((x: Tensor) => add(mul(x, 3), 1));
    expect(f.stepsFor(tensor([1, 2]))).toBe(2);
    expect(f(tensor([1, 2])).toFlatArray()).toEqual([4, 7]);
  });

  it('replays no copies for the identity nodes that grad inserts to lift its argument', () => {
    const square = (y: Tensor) => sum(mul(y, y));
    const viaGrad = jit((x: Tensor) => grad(square)(x));
    const direct = jit((x: Tensor) => gradients(square(x), [x])[0]);
    const x = tensor([1, 2, 3]);
    expect(viaGrad.stepsFor(x)).toBe(direct.stepsFor(x));
    expect(viaGrad(x).toFlatArray()).toEqual([2, 4, 6]);
  });

  it('gives the eager bits for random expression DAGs and their gradients, at two different points', () => {
    fc.assert(
      fc.property(expression({ depth: 5, inputs: 3 }), (e) => {
        const f = (...xs: Tensor[]) => {
          const y = e.f(...xs);
          return [y, ...gradients(sum(y), xs)];
        };
        const compiled = jit(f);
        const moved = e.inputs.map((x) => add(mul(x, 0.75), 0.125));
        for (const point of [e.inputs, moved]) {
          expect(valuesOf(compiled(...point))).toEqual(eager(f, point));
        }
        expect(compiled.traces).toBe(1);
      }),
      { seed: settings.runSeed, numRuns: settings.numRuns },
    );
  });

  it('compiles higher-order derivatives: d³/dx³ x⁴ = 24x at each new point', () => {
    const f = (x: Tensor) => mul(mul(x, x), mul(x, x));
    const third = jit((x: Tensor) => grad(grad(grad(f)))(x));
    expect([2, -0.5, 3].map((x) => third(tensor(x)).item())).toEqual([48, -12, 72]);
    expect(third.traces).toBe(1);
  });

  it('copies the tensors it closes over: their arrays going back to the pool does not change it', () => {
    const captured = tidy(
      () => mul(tensor(new Float64Array(256).fill(1)), 3),
      (t) => [t],
    );
    const capturedArray = captured.data;
    const f = jit((x: Tensor) => mul(x, captured));
    const x = tensor(new Float64Array(256).fill(2));
    expect(f(x).data[0]).toBe(6);
    // Donate the captured array; the pool hands it out again at once, to be filled with fives.
    recycle([captured]);
    const reused = tidy(
      () => mul(tensor(new Float64Array(256).fill(1)), 5),
      (t) => [t],
    );
    expect(reused.data).toBe(capturedArray);
    expect(f(x).data[0]).toBe(6);
  });

  it('inlines a compiled function called inside another one while it is traced', () => {
    const inner = jit((x: Tensor) => mul(x, x));
    const outer = jit((x: Tensor) => gradients(sum(inner(x)), [x])[0]);
    expect(outer(tensor([1, 2])).toFlatArray()).toEqual([2, 4]);
    expect(outer(tensor([3, -1])).toFlatArray()).toEqual([6, -2]);
    expect(inner.traces).toBe(0);
  });

  it('runs eagerly on tracked arguments, so gradients flow through a compiled function', () => {
    const cube = jit((x: Tensor) => mul(mul(x, x), x));
    const x = variable(tensor([2, -1]));
    const [g] = gradients(sum(cube(x)), [x]);
    expect(g.toFlatArray()).toEqual([12, 3]);
    expect(cube.traces).toBe(0);
    expect(cube(tensor([2, -1])).toFlatArray()).toEqual([8, -1]);
    expect(cube.traces).toBe(1);
  });

  it('draws a new dropout mask at every call from a key argument, the same as its seed string gives', () => {
    const masked = jit((x: Tensor, key: Tensor) =>
      mul(x, keyedDropoutMask(key, x.shape, 0.5, 'float64', 'run', 'layer')),
    );
    const x = tensor(new Float64Array(64).fill(1));
    const expected = (epoch: number, batch: number) => {
      const mask = new Float64Array(64);
      fillDropoutMask(mask, 0.5, `run/${epoch}/${batch}/layer`);
      return Array.from(mask);
    };
    const first = masked(x, tensor(Int32Array.of(0, 1))).toFlatArray();
    const second = masked(x, tensor(Int32Array.of(0, 2))).toFlatArray();
    expect(first).toEqual(expected(0, 1));
    expect(second).toEqual(expected(0, 2));
    expect(second).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([0, 2]));
    expect(masked.traces).toBe(1);
    expect(() => fillDropoutMask(new Float64Array(2), 1, 0)).toThrow(
      /dropoutMask: rate must be in \[0, 1\), got 1/,
    );
  });

  it('recomputes stopGradient at every call, and no gradient flows through it', () => {
    const f = jit((x: Tensor) => {
      const y = mul(stopGradient(x), x);
      return [y, ...gradients(sum(y), [x])];
    });
    const [y, g] = f(tensor([2, 3]));
    expect(y.toFlatArray()).toEqual([4, 9]);
    expect(g.toFlatArray()).toEqual([2, 3]);
    const [y2, g2] = f(tensor([5, -1]));
    expect(y2.toFlatArray()).toEqual([25, 1]);
    expect(g2.toFlatArray()).toEqual([5, -1]);
  });

  it('takes int32 labels as arguments: the loss follows each call’s labels', () => {
    const loss = jit((logits: Tensor, labels: Tensor) => softmaxCrossEntropy(logits, labels));
    const logits = tensor([
      [0, 1],
      [2, 0],
    ]);
    const first = loss(logits, tensor(Int32Array.of(0, 1), { shape: [2] })).toFlatArray();
    const second = loss(logits, tensor(Int32Array.of(1, 0), { shape: [2] })).toFlatArray();
    const expected = (row: number[], label: number) => -Array.from(logSoftmax(tensor(row)).data)[label];
    expect(first).toEqual([expected([0, 1], 0), expected([2, 0], 1)]);
    expect(second).toEqual([expected([0, 1], 1), expected([2, 0], 0)]);
  });

  it('works inside tidy: its results are released with the scope and the next call still works', () => {
    const f = jit((x: Tensor) => mul(x, 2));
    const x = tensor(new Float64Array(300).fill(1));
    let inside: Tensor | undefined;
    tidy(
      () => {
        inside = f(x);
        return [];
      },
      () => [],
    );
    expect(inside!.released).toBe(true);
    expect(f(x).data[299]).toBe(2);
  });

  it('reuses its own buffers: in a tidy loop, calls after the first take no fresh arrays', () => {
    const f = jit((x: Tensor) => mul(square(sub(mul(x, 3), 1)), 2));
    const x = tensor(new Float64Array(500).fill(0.5));
    const call = () =>
      tidy(
        () => f(x).data[499],
        () => [],
      );
    expect(call()).toBe(0.5);
    const fresh = bufferPoolStats().freshArrays;
    expect([call(), call(), call()]).toEqual([0.5, 0.5, 0.5]);
    expect(bufferPoolStats().freshArrays).toBe(fresh);
  });

  it('recomputes oneHot for the labels of each call (an op on them, not a constant)', () => {
    const f = jit((labels: Tensor) => oneHot(labels, 3));
    expect(f(tensor(Int32Array.of(2, 0))).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(f(tensor(Int32Array.of(1, 1))).toArray()).toEqual([
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(oneHot(tensor(Int32Array.of(1)), 2, 'float64').dtype).toBe('float64');
  });

  describe('refuses what a replay could not repeat', () => {
    const rejects = (f: (x: Tensor) => Tensor, pattern: RegExp) =>
      expect(() => jit(f)(tensor([1, 2]))).toThrow(pattern);

    it('reading a traced value into JS', () => {
      rejects((x) => mul(x, sum(x).item()), /item: tensor #\d+ \[\] is traced by jit/);
      rejects((x) => tensor(x.toFlatArray()), /toFlatArray: .* traced by jit/);
      rejects((x) => tensor(Array.from(x.data)), /data: .* traced by jit/);
    });

    it('but printing a traced value works, and says it is traced', () => {
      let printed = '';
      jit((x: Tensor) => {
        printed = String(mul(x, 2));
        return x;
      })(tensor([1, 2]));
      expect(printed).toBe('Tensor(traced, shape=[2], dtype=float64)');
    });

    it('drawing random numbers', () => {
      rejects((x) => mul(x, new Rng(3).uniform()), /jit: random numbers drawn while tracing \(seed 3\)/);
      rejects((x) => mul(x, randn([2], { seed: 1 })), /random numbers drawn while tracing/);
    });

    it('noGrad on a traced value', () => {
      rejects((x) => noGrad(() => mul(x, 2)), /jit: mul ran inside noGrad on a traced value/);
    });

    it('arguments and results that are not tensors, with GraphErrors that say so', () => {
      const f = jit((x: Tensor) => x);
      expect(() => (f as unknown as (n: number) => Tensor)(3)).toThrow(
        /jit: argument 0 is number, not a tensor/,
      );
      const g = jit((x: Tensor) => ({ x }) as unknown as Tensor);
      expect(() => g(tensor([1]))).toThrow(GraphError);
      expect(() => g(tensor([1]))).toThrow(/returned something other than tensors or trees of tensors/);
    });

    it('and leaves the next trace unaffected after a refusal', () => {
      rejects((x) => mul(x, sum(x).item()), /traced by jit/);
      expect(sum(tensor([1, 2])).item()).toBe(3);
      expect(jit((x: Tensor) => sum(x))(tensor([1, 2])).item()).toBe(3);
    });
  });
});
