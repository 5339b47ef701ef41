import { describe, expect, it } from 'vitest';
import {
  ChainruleError,
  DTypeError,
  GraphError,
  apply,
  cos,
  gather,
  matmul,
  mul,
  opTable,
  sin,
  stopGradient,
  sum,
  tensor,
} from '@chainrule/autograd';
import type { OpDef, Tensor } from '@chainrule/autograd';
import { GradcheckError, gradcheck } from '@chainrule/autograd/testing';

/** sin with a vjp that is 10% too large: a wrong first derivative in reverse mode only. */
const sinWrongVjp: OpDef = { ...opTable.sin, vjp: ({ g, inputs: [x] }) => [mul(g, mul(1.1, cos(x)))] };
/** sin with a jvp of the wrong sign: a wrong first derivative in forward mode only. */
const sinWrongJvp: OpDef = {
  ...opTable.sin,
  jvp: ({ tangents: [t], inputs: [x] }) => (t ? mul(t, mul(-1, cos(x))) : null),
};
/** sin whose vjp has the right value but cuts the graph: its second derivative is wrong. */
const sinFlatVjp: OpDef = { ...opTable.sin, vjp: ({ g, inputs: [x] }) => [mul(g, stopGradient(cos(x)))] };

const x = tensor([0.3, -1.2, 2]);

describe('gradcheck', () => {
  it('confirms correct derivatives up to third order in both modes and reports every comparison', () => {
    const a = tensor([
      [0.5, -1, 0.25],
      [2, 0.1, -0.7],
    ]);
    const b = tensor([[0.3], [-1.2], [0.8]]);
    const report = gradcheck((p, q) => sin(matmul(p, q)).mul(sum(p)), [a, b], { order: 3 });
    expect(report.passed).toBe(true);
    // 3 orders × 2 inputs × 2 modes.
    expect(report.checks).toHaveLength(12);
    for (const check of report.checks) {
      // Central differences with eps 1e-6 in float64 are accurate to ~1e-9 here; 1e-6 leaves a wide margin.
      expect(check.maxAbsError).toBeLessThan(1e-6);
      expect(check.passed).toBe(true);
    }
    const forward = report.checks.filter((c) => c.mode === 'forward');
    for (const c of forward) {
      expect(c.innerProduct?.passed).toBe(true);
      // jvp and vjp are exact: the identity holds to rounding.
      expect(Math.abs((c.innerProduct?.jvp ?? NaN) - (c.innerProduct?.vjp ?? NaN))).toBeLessThan(1e-9);
    }
  });

  it('reports the gradient itself for a one-element output: d/dx Σx³ = 3x²', () => {
    const report = gradcheck((v) => sum(v.mul(v).mul(v)), [tensor([1, 2])], { modes: ['reverse'] });
    const [check] = report.checks;
    expect(check).toMatchObject({ order: 1, mode: 'reverse', input: 0, shape: [2] });
    // The worst element is one of the two entries; its analytic value is exactly 3x².
    const i = check.worst?.index[0] ?? -1;
    expect(check.worst?.analytic).toBe(3 * [1, 2][i] ** 2);
    // The numeric value matches to the finite-difference error, ~1e-9 for eps = 1e-6.
    expect(Math.abs((check.worst?.numeric ?? NaN) - 3 * [1, 2][i] ** 2)).toBeLessThan(1e-7);
  });

  it('catches a wrong vjp in reverse mode, names the worst element, and blames the vjp', () => {
    const f = (v: Tensor) => apply(sinWrongVjp, [v], undefined);
    const error = (() => {
      try {
        gradcheck(f, [x]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GradcheckError);
    const report = (error as GradcheckError).report;
    const reverse = report.checks.find((c) => c.mode === 'reverse');
    expect(reverse?.passed).toBe(false);
    // The error is 10% of cos(x)·u: largest where |u·cos x| is largest, and exactly 1.1 × the numeric value.
    expect(reverse?.worst?.analytic).toBeCloseTo(1.1 * (reverse?.worst?.numeric ?? NaN), 6);
    const forward = report.checks.find((c) => c.mode === 'forward');
    expect(forward?.innerProduct?.passed).toBe(false);
    expect(String(error)).toMatch(/first derivative, reverse mode, input 0/);
    expect(String(error)).toMatch(/worst element \[\d\]: analytic -?[\d.]+, numeric -?[\d.]+/);
    expect(String(error)).toMatch(/suspect the vjp/);
  });

  it('catches a wrong jvp in forward mode while reverse mode passes', () => {
    const report = gradcheck((v) => apply(sinWrongJvp, [v], undefined), [x], { throwOnFailure: false });
    expect(report.passed).toBe(false);
    expect(report.checks.find((c) => c.mode === 'reverse')?.passed).toBe(true);
    expect(report.checks.find((c) => c.mode === 'forward')?.passed).toBe(false);
  });

  it('gradgradcheck: a vjp that is right in value but not differentiable passes order 1 and fails order 2', () => {
    const f = (v: Tensor) => sum(apply(sinFlatVjp, [v], undefined));
    expect(gradcheck(f, [x], { order: 1 }).passed).toBe(true);
    const report = gradcheck(f, [x], { order: 2, throwOnFailure: false });
    expect(report.checks.filter((c) => c.order === 1).every((c) => c.passed)).toBe(true);
    expect(report.checks.find((c) => c.order === 2 && c.mode === 'reverse')?.passed).toBe(false);
  });

  it('refuses float32 inputs with the reason, or warns and checks loosely when allowed', () => {
    const x32 = tensor(new Float32Array([0.3, -1.2, 2]));
    expect(() => gradcheck(sin, [x32])).toThrow(DTypeError);
    expect(() => gradcheck(sin, [x32])).toThrow(/7 significant digits/);
    const warnings: string[] = [];
    const report = gradcheck(sin, [x32], { allowFloat32: true, warn: (m) => warnings.push(m) });
    expect(report.passed).toBe(true);
    expect(report).toMatchObject({ eps: 1e-3, atol: 1e-3, rtol: 1e-2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/float32/);
  });

  it('leaves int32 inputs fixed and checks only the float ones', () => {
    const idx = tensor(new Int32Array([2, 0, 2]));
    const report = gradcheck((v, i) => gather(v, i), [x, idx], { order: 2 });
    expect(report.passed).toBe(true);
    expect(new Set(report.checks.map((c) => c.input))).toEqual(new Set([0]));
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => gradcheck(sin, [x], { order: 4 })).toThrow(ChainruleError);
    expect(() => gradcheck(sin, [x], { eps: 0 })).toThrow(/eps/);
    expect(() => gradcheck(sin, [x], { wrt: [3] })).toThrow(GraphError);
    expect(() => gradcheck((v) => gather(x, v), [tensor(new Int32Array([1]))])).toThrow(/no float input/);
  });

  it('fails (never passes silently) when the function produces NaN', () => {
    const report = gradcheck((v) => v.log(), [tensor([-1, 2])], { throwOnFailure: false });
    expect(report.passed).toBe(false);
    expect(report.checks[0].maxAbsError).toBe(Infinity);
  });
});
