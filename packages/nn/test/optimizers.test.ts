import { readFileSync } from 'node:fs';
import { Map as ImmutableMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@chainrule/autograd';
import { grad, tensor } from '@chainrule/autograd';
import type { Optimizer, OptimizerState, Params } from '../src/index.js';
import {
  adagrad,
  adam,
  adamw,
  clipByGlobalNorm,
  cosineDecay,
  exponentialDecay,
  linearWarmup,
  rmsprop,
  sgd,
  stepDecay,
} from '../src/index.js';

interface Step {
  weight: number[];
  bias: number[];
}
interface Fixture {
  problem: { x: number[][]; y: number[][]; weight: number[][]; bias: number[] };
  optimizers: Record<string, { clip: number | null; trajectory: Step[] }>;
  schedules: Record<string, number[]> & { base: number };
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/torch-optimizers.json', import.meta.url), 'utf8'),
) as Fixture;
const X = tensor(fixture.problem.x);
const Y = tensor(fixture.problem.y);

/** The fixture's problem: mean((tanh(X·W + b) − Y)²), in float64. */
const lossOf = (p: Params): Tensor =>
  X.matmul(p.get('weight') as Tensor)
    .add(p.get('bias') as Tensor)
    .tanh()
    .sub(Y)
    .square()
    .mean();

const ours: Record<string, () => Optimizer> = {
  sgd: () => sgd({ lr: 0.1 }),
  'sgd+wd': () => sgd({ lr: 0.1, weightDecay: 0.05 }),
  'sgd+clip': () => sgd({ lr: 0.1, clipNorm: 0.05 }),
  momentum: () => sgd({ lr: 0.05, momentum: 0.9 }),
  'momentum+wd': () => sgd({ lr: 0.05, momentum: 0.9, weightDecay: 0.05 }),
  nesterov: () => sgd({ lr: 0.05, momentum: 0.9, nesterov: true }),
  'nesterov+wd': () => sgd({ lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.05 }),
  adam: () => adam({ lr: 0.01 }),
  'adam+wd': () => adam({ lr: 0.01, weightDecay: 0.05 }),
  'adam+betas': () => adam({ lr: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }),
  adamw: () => adamw({ lr: 0.01 }),
  'adamw+wd': () => adamw({ lr: 0.01, weightDecay: 0.2 }),
  rmsprop: () => rmsprop({ lr: 0.01 }),
  'rmsprop+wd': () => rmsprop({ lr: 0.01, weightDecay: 0.05 }),
  'rmsprop+momentum': () => rmsprop({ lr: 0.01, momentum: 0.5 }),
  'rmsprop+centered': () => rmsprop({ lr: 0.01, centered: true }),
  adagrad: () => adagrad({ lr: 0.1 }),
  'adagrad+wd': () => adagrad({ lr: 0.1, weightDecay: 0.05 }),
  'adagrad+decay': () => adagrad({ lr: 0.1, lrDecay: 0.01, initialAccumulator: 0.1 }),
};

/** max |a − b| / max |b|: the relative error of a whole parameter vector. */
function relativeError(actual: ArrayLike<number>, expected: readonly number[]): number {
  let diff = 0;
  let scale = 0;
  expected.forEach((e, i) => {
    diff = Math.max(diff, Math.abs(actual[i] - e));
    scale = Math.max(scale, Math.abs(e));
  });
  return diff / scale;
}

describe('optimizers follow PyTorch trajectories (float64)', () => {
  it('covers every configuration in the fixture', () => {
    expect(Object.keys(ours).sort()).toEqual(Object.keys(fixture.optimizers).sort());
  });

  for (const [name, make] of Object.entries(ours)) {
    it(`${name}: 25 steps match torch.optim to 1e-9 relative`, () => {
      const optimizer = make();
      let params: Params = ImmutableMap({
        weight: tensor(fixture.problem.weight),
        bias: tensor(fixture.problem.bias),
      });
      let state: OptimizerState | undefined;
      let worst = 0;
      for (const expected of fixture.optimizers[name].trajectory) {
        const grads = grad<Params>(lossOf)(params);
        ({ params, state } = optimizer.update(params, grads, state));
        worst = Math.max(
          worst,
          relativeError((params.get('weight') as Tensor).data, expected.weight),
          relativeError((params.get('bias') as Tensor).data, expected.bias),
        );
      }
      // 1e-9 relative: both sides compute in float64; differences come only from rounding order
      // (about 1e-15 per step), so 1e-9 leaves room without hiding a wrong formula (those differ by > 1e-4).
      expect(worst).toBeLessThan(1e-9);
      expect(state?.step).toBe(25);
    });
  }
});

describe('learning-rate schedules match torch.optim.lr_scheduler', () => {
  const base = fixture.schedules.base;
  const cases: Record<string, (step: number) => number> = {
    step: stepDecay(base, { stepSize: 7, gamma: 0.5 }),
    exponential: exponentialDecay(base, 0.9),
    cosine: cosineDecay(base, { steps: 20, min: 0.001 }),
    warmup: linearWarmup(base, { steps: 8, startFactor: 0.25 }),
  };
  for (const [name, schedule] of Object.entries(cases)) {
    it(`${name}: ${fixture.schedules[name].length} learning rates to 1e-12 relative`, () => {
      const ours = fixture.schedules[name].map((_, i) => schedule(i));
      // PyTorch updates the rate recursively (lr·γ per step); the closed forms agree to rounding.
      expect(relativeError(ours, fixture.schedules[name])).toBeLessThan(1e-12);
    });
  }

  it('cosineDecay stays at its minimum after the last step', () => {
    expect(cosineDecay(0.1, { steps: 20, min: 0.001 })(35)).toBe(0.001);
  });

  it('a schedule drives the optimizer: update t uses lr(t)', () => {
    const optimizer = sgd({ lr: stepDecay(1, { stepSize: 1, gamma: 0.5 }) });
    let params: Params = ImmutableMap({ w: tensor([1]) });
    let state: OptimizerState | undefined;
    const seen: number[] = [];
    for (let t = 0; t < 3; t++) {
      const before = (params.get('w') as Tensor).data[0];
      ({ params, state } = optimizer.update(params, ImmutableMap({ w: tensor([1]) }), state));
      seen.push(before - (params.get('w') as Tensor).data[0]);
    }
    expect(seen).toEqual([1, 0.5, 0.25]);
  });
});

describe('optimizer purity and validation', () => {
  it('update leaves its inputs untouched and returns new trees', () => {
    const params: Params = ImmutableMap({ w: tensor([1, 2]) });
    const grads: Params = ImmutableMap({ w: tensor([0.5, -0.5]) });
    const first = adam().update(params, grads);
    expect(Array.from((params.get('w') as Tensor).data)).toEqual([1, 2]);
    const again = adam().update(params, grads);
    expect(Array.from((again.params.get('w') as Tensor).data)).toEqual(
      Array.from((first.params.get('w') as Tensor).data),
    );
  });

  it('a missing or misshapen gradient is a typed error naming the parameter', () => {
    const params: Params = ImmutableMap({ w: tensor([1, 2]) });
    expect(() => sgd().update(params, ImmutableMap())).toThrow(/no gradient for parameter 'w'/);
    expect(() => sgd().update(params, ImmutableMap({ w: tensor([1, 2, 3]) }))).toThrow(
      /gradient of 'w' is \[3\] float64, parameter is \[2\] float64/,
    );
  });

  it('clipByGlobalNorm scales only when the norm exceeds the limit', () => {
    const grads: Params = ImmutableMap({ a: tensor([3]), b: tensor([4]) });
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.norm).toBe(5);
    // 1 / (5 + 1e-6) as torch's clip_grad_norm_; checked to 1e-15 absolute (float64 rounding).
    expect((clipped.grads.get('a') as Tensor).item()).toBeCloseTo(3 / (5 + 1e-6), 15);
    expect((clipByGlobalNorm(grads, 10).grads.get('b') as Tensor).item()).toBe(4);
  });
});
