import { describe, expect, it } from 'vitest';
import type { Tensor } from '@chainrule/autograd';
import { ChainruleError, DTypeError, ShapeError, grad, rand, tensor, variable } from '@chainrule/autograd';
import type { Params } from '../src/index.js';
import {
  batchNorm,
  dense,
  dropout,
  elu,
  flatten,
  functional,
  gelu,
  init,
  leakyRelu,
  linear,
  maxout,
  moduleFromSpec,
  relu,
  sequential,
  sigmoid,
  silu,
  softmax,
  step,
  tanh,
} from '../src/index.js';

const get = (p: Params, key: string) => p.get(key) as Tensor;

describe('dense and sequential', () => {
  it('init gives float32 [in, out] weights and zero biases under keys "0.weight", "0.bias"', () => {
    const model = sequential([dense(3, 5), relu(), dense(5, 2, { bias: false })]);
    const p = model.init({ seed: 1 });
    expect([...p.keys()]).toEqual(['0.weight', '0.bias', '2.weight']);
    expect(get(p, '0.weight').shape).toEqual([3, 5]);
    expect(get(p, '0.weight').dtype).toBe('float32');
    expect(get(p, '0.bias').toFlatArray()).toEqual([0, 0, 0, 0, 0]);
    // Glorot uniform bound √(6 / (3 + 5)).
    const bound = Math.sqrt(6 / 8);
    expect(
      get(p, '0.weight')
        .toFlatArray()
        .every((v) => Math.abs(v) <= bound),
    ).toBe(true);
  });

  it('computes x·W + b', () => {
    const layer = dense(2, 1, {
      dtype: 'float64',
      weightInit: init.constant(2),
      biasInit: init.constant(0.5),
    });
    const out = layer.apply(layer.init({ seed: 0 }), tensor([[1, 3]]));
    expect(out.toArray()).toEqual([[8.5]]);
  });

  it("activation: 'relu' fuses bias and relu into one addRelu node with dense + relu's exact numbers", () => {
    const fused = sequential([dense(3, 6, { activation: 'relu' }), dense(6, 2)]);
    const plain = sequential([dense(3, 6), relu(), dense(6, 2)]);
    const p = fused.init({ seed: 4 });
    // The same parameters under the plain model's keys (its relu layer shifts the second dense to '2.').
    const q = plain
      .init({ seed: 4 })
      .set('0.weight', get(p, '0.weight'))
      .set('0.bias', get(p, '0.bias').add(0.1))
      .set('2.weight', get(p, '1.weight'))
      .set('2.bias', get(p, '1.bias'));
    const p2 = p.set('0.bias', get(q, '0.bias'));
    const x = rand([5, 3], { seed: 2, dtype: 'float32' }).sub(0.5);
    expect(fused.apply(p2, x).data).toEqual(plain.apply(q, x).data);
    const loss = (model: typeof fused) => (params: Params) => model.apply(params, x).square().sum();
    const gFused = grad<Params>(loss(fused))(p2);
    const gPlain = grad<Params>(loss(plain))(q);
    for (const key of ['0.weight', '0.bias']) expect(get(gFused, key).data).toEqual(get(gPlain, key).data);
    // One fused node between the matmul and the second layer.
    const hidden = fused.apply(p2, variable(x)).inputs[0].inputs[0];
    expect(hidden.op?.name).toBe('addRelu');
    expect(moduleFromSpec(fused.spec).spec).toEqual(fused.spec);
    expect(() => dense(2, 2, { activation: 'tanh' as 'relu' })).toThrow(ChainruleError);
  });

  it('the same seed gives bit-identical parameters; another seed different ones', () => {
    const model = sequential([dense(4, 8), dense(8, 2)]);
    const a = model.init({ seed: 'run' });
    const b = model.init({ seed: 'run' });
    expect(get(a, '1.weight').data).toEqual(get(b, '1.weight').data);
    expect(get(model.init({ seed: 'other' }), '1.weight').data).not.toEqual(get(a, '1.weight').data);
  });

  it('a wrong input width is a ShapeError naming the layer and the shapes', () => {
    const model = sequential([dense(784, 16), relu(), dense(16, 10)]);
    const p = model.init({ seed: 0 });
    const call = () => model.apply(p, rand([2, 100], { seed: 1, dtype: 'float32' }));
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(/layer 0 dense\(784→16\).*input of shape \[2,100\] does not have 784 features/);
  });

  it('a float64 input to a float32 layer is a DTypeError naming the layer', () => {
    const layer = dense(2, 2);
    expect(() => layer.apply(layer.init({ seed: 0 }), tensor([[1, 2]]))).toThrow(DTypeError);
    expect(() => layer.apply(layer.init({ seed: 0 }), tensor([[1, 2]]))).toThrow(/dense\(2→2\).*float64/);
  });

  it('mismatched consecutive widths fail at construction, naming both layers', () => {
    expect(() => sequential([dense(2, 4), sigmoid(), dense(3, 1)])).toThrow(
      /layer 2 dense\(3→1\) expects 3 input features but layer 1 sigmoid produces 4/,
    );
  });

  it('parameters of another architecture are rejected by name', () => {
    const p = dense(3, 2).init({ seed: 0 });
    expect(() => dense(4, 2).apply(p, rand([1, 4], { seed: 0, dtype: 'float32' }))).toThrow(
      /dense\(4→2\): parameter 'weight' has shape \[3,2\] float32, expected \[4,2\] float32/,
    );
  });

  it('tags recorded nodes with a name scope per layer', () => {
    const model = sequential([dense(2, 2, { dtype: 'float64' }), tanh()]);
    const p = model.init({ seed: 0 }).map((t) => variable(t));
    const out = model.apply(p, tensor([[1, 2]]));
    expect(out.scope).toBe('1:tanh');
    expect(out.inputs[0].scope).toBe('0:dense');
  });
});

describe('initializers', () => {
  const stats = (t: Tensor) => {
    const v = t.toFlatArray();
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
  };
  const draw = (i: init.Initializer, fanIn: number, fanOut: number) =>
    i.create([fanIn, fanOut], { seed: 3, dtype: 'float64', fanIn, fanOut });

  it('uniform() is [0, 1) like np.random.rand; uniform(a, b) stays in [a, b)', () => {
    const v = draw(init.uniform(), 50, 40).toFlatArray();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    const w = draw(init.uniform(-2, -1), 50, 40).toFlatArray();
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...w)).toBeLessThan(-1);
  });

  it('scaled initializers have the textbook standard deviations (2000 draws, 10% tolerance)', () => {
    // With 2000 samples the standard error of a standard deviation is about 1.6%; 10% cannot flake.
    const cases: [init.Initializer, number][] = [
      [init.glorotUniform(), Math.sqrt(2 / 90)],
      [init.glorotNormal(), Math.sqrt(2 / 90)],
      [init.heUniform(), Math.sqrt(2 / 40)],
      [init.heNormal(), Math.sqrt(2 / 40)],
      [init.lecunUniform(), Math.sqrt(1 / 40)],
      [init.lecunNormal(), Math.sqrt(1 / 40)],
      [init.normal(0, 0.3), 0.3],
    ];
    for (const [i, std] of cases) {
      const s = stats(draw(i, 40, 50));
      expect(Math.abs(s.std / std - 1)).toBeLessThan(0.1);
      expect(Math.abs(s.mean)).toBeLessThan(0.1 * std);
    }
    expect(draw(init.zeros(), 2, 2).toFlatArray()).toEqual([0, 0, 0, 0]);
    expect(init.xavierUniform().spec.name).toBe('glorotUniform');
    expect(init.kaimingNormal().spec.name).toBe('heNormal');
  });
});

describe('activation layers', () => {
  const x = tensor([-2, -0.5, 0, 0.5, 2]);
  const run = (m: ReturnType<typeof relu>) => m.apply(m.init({ seed: 0 }), x).toFlatArray();

  it('compute their functions', () => {
    expect(run(linear())).toEqual([-2, -0.5, 0, 0.5, 2]);
    expect(run(step())).toEqual([0, 0, 0, 1, 1]);
    expect(run(relu())).toEqual([0, 0, 0, 0.5, 2]);
    expect(run(leakyRelu(0.1))).toEqual([-0.2, -0.05, 0, 0.5, 2]); // the lecture's max(0.1x, x)
    const ref = (f: (v: number) => number) => [-2, -0.5, 0, 0.5, 2].map(f);
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 14));
    close(
      run(sigmoid()),
      ref((v) => 1 / (1 + Math.exp(-v))),
    );
    close(run(tanh()), ref(Math.tanh));
    close(
      run(elu(1)),
      ref((v) => (v > 0 ? v : Math.expm1(v))),
    );
    close(
      run(silu()),
      ref((v) => v / (1 + Math.exp(-v))),
    );
    // torch.nn.functional.gelu(x, approximate='tanh') in float64 (python3-torch 1.13), to 1e-14.
    close(
      run(gelu()),
      [-0.04540230591222494, -0.15428599017485606, 0, 0.34571400982514394, 1.954597694087775],
    );
    const s = run(softmax());
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it('gelu and silu differentiate through autograd', () => {
    const g = grad((v: Tensor) => functional.silu(v).sum())(tensor([0]));
    expect(g.item()).toBeCloseTo(0.5, 14); // silu'(0) = σ(0) = 1/2
  });
});

describe('maxout and flatten', () => {
  it('maxout takes, per unit, the largest of k linear pieces', () => {
    const m = maxout(2, 1, 3, { dtype: 'float64' });
    const p = m
      .init({ seed: 0 })
      .set(
        'weight',
        tensor([
          [[1], [0]],
          [[0], [1]],
          [[-1], [-1]],
        ]),
      )
      .set('bias', tensor([[[0]], [[0]], [[0.5]]]));
    const out = m.apply(
      p,
      tensor([
        [3, 1],
        [-1, 2],
        [-2, -2],
      ]),
    );
    expect(out.toArray()).toEqual([[3], [2], [4.5]]);
  });

  it('flatten keeps the batch axis', () => {
    const out = flatten().apply(flatten().init({ seed: 0 }), rand([2, 3, 4], { seed: 0 }));
    expect(out.shape).toEqual([2, 12]);
  });
});

describe('dropout', () => {
  const x = tensor(new Float64Array(1000).fill(1), { shape: [10, 100] });
  const layer = dropout(0.3);

  it('training: zeros or 1/(1 − rate), about rate dropped, seeded', () => {
    const out = layer.apply(layer.init({ seed: 0 }), x, { training: true, seed: 5 });
    const values = new Set(out.toFlatArray());
    expect([...values].sort()).toEqual([0, 1 / 0.7]);
    const dropped = out.toFlatArray().filter((v) => v === 0).length;
    // Binomial(1000, 0.3): mean 300, sd 14.5; ±60 is over 4 sd.
    expect(Math.abs(dropped - 300)).toBeLessThan(60);
    expect(layer.apply(layer.init({ seed: 0 }), x, { training: true, seed: 5 }).data).toEqual(out.data);
    expect(layer.apply(layer.init({ seed: 0 }), x, { training: true, seed: 6 }).data).not.toEqual(out.data);
  });

  it('evaluation: the identity', () => {
    expect(layer.apply(layer.init({ seed: 0 }), x)).toBe(x);
  });

  it('training without a seed is a typed error', () => {
    expect(() => layer.apply(layer.init({ seed: 0 }), x, { training: true })).toThrow(ChainruleError);
  });
});

describe('batchNorm', () => {
  const rows = [
    [1, 10],
    [2, 20],
    [4, 40],
    [5, 70],
  ];
  const x = tensor(rows);

  it('non-affine training output is the lecture’s batch_normalize (ε = 1e-8)', () => {
    const bn = batchNorm(2, { affine: false, epsilon: 1e-8, dtype: 'float64' });
    const out = bn.apply(bn.init({ seed: 0 }), x, { training: true }).toArray() as number[][];
    for (let j = 0; j < 2; j++) {
      const col = rows.map((r) => r[j]);
      const mean = col.reduce((a, b) => a + b, 0) / 4;
      const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / 4; // np.var: biased
      col.forEach((v, i) => expect(out[i][j]).toBeCloseTo((v - mean) / Math.sqrt(variance + 1e-8), 12));
    }
  });

  it('running statistics after 3 training steps equal a hand computation; evaluation uses them', () => {
    const bn = batchNorm(2, { momentum: 0.2, dtype: 'float64' });
    const params = bn.init({ seed: 0 });
    const batches = [x, x.mul(2), x.add(-3)];
    let state = bn.initState();
    for (const b of batches) ({ state } = bn.forward(params, b, { training: true, state }));

    const hand = [0, 1].map((j) => {
      let mean = 0;
      let variance = 1;
      for (const b of batches) {
        const col = (b.toArray() as number[][]).map((r) => r[j]);
        const m = col.reduce((a, c) => a + c, 0) / col.length;
        const unbiased = col.reduce((a, c) => a + (c - m) ** 2, 0) / (col.length - 1);
        mean = 0.8 * mean + 0.2 * m;
        variance = 0.8 * variance + 0.2 * unbiased;
      }
      return { mean, variance };
    });
    const rm = (state.get('runningMean') as Tensor).toFlatArray();
    const rv = (state.get('runningVar') as Tensor).toFlatArray();
    hand.forEach((h, j) => {
      expect(rm[j]).toBeCloseTo(h.mean, 12);
      expect(rv[j]).toBeCloseTo(h.variance, 12);
    });

    const evaluated = bn.apply(params, x, { state }).toArray() as number[][];
    rows.forEach((r, i) =>
      r.forEach((v, j) =>
        expect(evaluated[i][j]).toBeCloseTo((v - hand[j].mean) / Math.sqrt(hand[j].variance + 1e-5), 12),
      ),
    );
    const trained = bn.apply(params, x, { training: true }).toArray() as number[][];
    expect(trained[0][0]).not.toBeCloseTo(evaluated[0][0], 3);
  });

  it('evaluation leaves the state unchanged; γ and β scale and shift', () => {
    const bn = batchNorm(2, { dtype: 'float64' });
    const params = bn
      .init({ seed: 0 })
      .set('gamma', tensor([2, 3]))
      .set('beta', tensor([1, -1]));
    const state = bn.initState();
    const { output, state: after } = bn.forward(params, x, { state });
    expect(after).toBe(state);
    expect((output.toArray() as number[][])[0][1]).toBeCloseTo((10 / Math.sqrt(1 + 1e-5)) * 3 - 1, 12);
  });

  it('evaluation without state, or training on one row, is a typed error', () => {
    const model = sequential([dense(2, 2, { dtype: 'float64' }), batchNorm(2, { dtype: 'float64' })]);
    const p = model.init({ seed: 0 });
    expect(() => model.apply(p, x.slice([0, 0], [2, 2]))).toThrow(
      /layer 1 batchNorm\(2\).*state '1.runningMean' is missing/,
    );
    expect(() => model.apply(p, tensor([[1, 2]]), { training: true })).toThrow(/at least 2 examples/);
  });
});

describe('architecture specs', () => {
  it('every layer rebuilds from its JSON spec', () => {
    const model = sequential([
      flatten(),
      dense(4, 8, { weightInit: init.heNormal() }),
      batchNorm(8),
      leakyRelu(0.1),
      dropout(0.25),
      maxout(8, 4, 2),
      elu(0.5),
      gelu(),
      silu(),
      step(),
      linear(),
      tanh(),
      sigmoid(),
      dense(4, 3, { dtype: 'float64', bias: false }),
      softmax(),
    ]);
    const json = JSON.parse(JSON.stringify(model.spec));
    const rebuilt = moduleFromSpec(json);
    expect(rebuilt.spec).toEqual(model.spec);
    expect(rebuilt.toString()).toBe(model.toString());
    expect(get(rebuilt.init({ seed: 9 }), '1.weight').data).toEqual(
      get(model.init({ seed: 9 }), '1.weight').data,
    );
  });
});
