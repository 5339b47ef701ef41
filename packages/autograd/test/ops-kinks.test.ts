/**
 * Each op's declared subgradient convention, asserted exactly at the kink, in reverse and forward mode.
 * The expected values are written from the conventions (PyTorch's, as the op table documents them), not
 * computed by the code under test. Every declared kink of every op must have a case here.
 */
import { describe, expect, it } from 'vitest';
import {
  addRelu,
  allOps,
  gradients,
  jvp,
  max,
  maximum,
  min,
  minimum,
  sum,
  tensor,
  variable,
} from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';
import { apply, opTable } from '@chainrule/autograd';

/** d op(x)/dx at one point, by vjp and by jvp (tangent 1). */
function unaryDerivatives(f: (x: Tensor) => Tensor, at: number): { vjp: number; jvp: number } {
  const x = variable(at);
  const [g] = gradients(f(x), [x]);
  return { vjp: g.item(), jvp: jvp(f, [tensor(at)], [tensor(1)]).tangent.item() };
}

interface KinkCase {
  readonly op: string;
  /** Index into the op's `kinks`. */
  readonly kink: number;
  readonly check: () => void;
}

const unaryAt = (op: keyof typeof opTable, attrs: unknown, at: number, expected: number): (() => void) => {
  return () => {
    const d = unaryDerivatives((x) => apply(opTable[op], [x], attrs as never), at);
    expect(d).toEqual({ vjp: expected, jvp: expected });
  };
};

/** maximum/minimum at a tie: each operand receives half of the gradient, in both modes. */
const tieSplit = (f: (a: Tensor, b: Tensor) => Tensor) => () => {
  const a = variable(1.5);
  const b = variable(1.5);
  const [ga, gb] = gradients(f(a, b), [a, b]);
  expect([ga.item(), gb.item()]).toEqual([0.5, 0.5]);
  expect(jvp(f, [tensor(1.5), tensor(1.5)], [tensor(1), tensor(0)]).tangent.item()).toBe(0.5);
};

/** max/min reductions: tied extremes share the gradient equally. */
const reductionTie = (f: (x: Tensor) => Tensor, values: number[], expected: number[]) => () => {
  const x = variable(values);
  expect(gradients(f(x), [x])[0].toFlatArray()).toEqual(expected);
  const onesTangent = tensor(values.map(() => 1));
  // Moving every entry by 1 moves the extreme by exactly 1 (the weights sum to 1).
  expect(jvp(f, [tensor(values)], [onesTangent]).tangent.item()).toBe(1);
};

const cases: readonly KinkCase[] = [
  { op: 'relu', kink: 0, check: unaryAt('relu', undefined, 0, 0) },
  { op: 'abs', kink: 0, check: unaryAt('abs', undefined, 0, 0) },
  { op: 'sign', kink: 0, check: unaryAt('sign', undefined, 0, 0) },
  { op: 'step', kink: 0, check: unaryAt('step', undefined, 0, 0) },
  // leakyRelu'(0) = α and elu'(0) = α·e⁰ = α: the x ≤ 0 branch.
  { op: 'leakyRelu', kink: 0, check: unaryAt('leakyRelu', { alpha: 0.1 }, 0, 0.1) },
  { op: 'elu', kink: 0, check: unaryAt('elu', { alpha: 0.7 }, 0, 0.7) },
  // clamp passes the gradient at both bounds (inclusive).
  { op: 'clip', kink: 0, check: unaryAt('clip', { min: -1, max: 2 }, -1, 1) },
  { op: 'clip', kink: 1, check: unaryAt('clip', { min: -1, max: 2 }, 2, 1) },
  // relu(a + b) where a + b = 0: relu'(0) = 0 for both operands, in both modes.
  {
    op: 'addRelu',
    kink: 0,
    check: () => {
      const f = (a: Tensor, b: Tensor) => addRelu(a, b);
      const [a, b] = [variable(0.75), variable(-0.75)];
      expect(gradients(f(a, b), [a, b]).map((g) => g.item())).toEqual([0, 0]);
      expect(jvp(f, [tensor(0.75), tensor(-0.75)], [tensor(1), tensor(1)]).tangent.item()).toBe(0);
    },
  },
  { op: 'maximum', kink: 0, check: tieSplit((a, b) => maximum(a, b)) },
  { op: 'minimum', kink: 0, check: tieSplit((a, b) => minimum(a, b)) },
  { op: 'max', kink: 0, check: reductionTie((x) => max(x), [1, 3, 3], [0, 0.5, 0.5]) },
  { op: 'min', kink: 0, check: reductionTie((x) => min(x), [2, -1, -1, 5], [0, 0.5, 0.5, 0]) },
];

describe('subgradient conventions at the kinks', () => {
  it('has a case for every declared kink of every op (coverage is checked, not hoped for)', () => {
    const declared = allOps().flatMap((op) => (op.kinks ?? []).map((_, i) => `${op.name}#${i}`));
    const covered = cases.map((c) => `${c.op}#${c.kink}`);
    expect(new Set(covered)).toEqual(new Set(declared));
  });

  it.each(cases.map((c) => [`${c.op} kink ${c.kink}`, c] as const))('%s', (_, c) => {
    c.check();
  });

  it('three-way max ties share equally: 1/3 each', () => {
    const x = variable([2, 2, 2]);
    expect(gradients(max(x), [x])[0].toFlatArray()).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('a tie along one axis only affects that row of a reduction', () => {
    const x = variable([
      [4, 4],
      [1, 3],
    ]);
    expect(gradients(sum(max(x, 1)), [x])[0].toArray()).toEqual([
      [0.5, 0.5],
      [0, 1],
    ]);
  });
});
