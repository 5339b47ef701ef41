/**
 * float32 is the nn default, so every op's derivative rules must keep float32 operands float32: first and
 * second reverse-mode derivatives and forward-mode tangents, at inputs drawn from the op's domain, agree in
 * dtype with the operands and in value with the same computation in float64. (Finite differences cannot
 * check float32 tightly; the float64 run is the reference instead.)
 */
import { describe, expect, it } from 'vitest';
import { allOps, apply, cast, gradients, jvp, ones, sum, variable } from '@chainrule/autograd';
import type { DType, OpDef, Tensor } from '@chainrule/autograd';
import { fc, inDomainOf, runSettings } from '@chainrule/autograd/testing';

const settings = runSettings(15);

interface Derivatives {
  readonly out: Tensor;
  readonly first: readonly Tensor[];
  readonly second: readonly Tensor[];
  readonly tangent: Tensor;
}

/** y = op(inputs) in `dtype`; its gradient, the gradient of Σ(gradient), and J·1 by forward mode. */
function derivatives(op: OpDef, inputs: readonly Tensor[], attrs: unknown, dtype: DType): Derivatives {
  const floatAt = inputs.flatMap((x, i) => (x.dtype === 'int32' ? [] : [i]));
  const values = floatAt.map((i) => cast(inputs[i], dtype));
  const f = (...fs: Tensor[]) =>
    apply(
      op,
      inputs.map((x, i) => (floatAt.includes(i) ? fs[floatAt.indexOf(i)] : x)),
      attrs,
    );
  const vars = values.map((v) => variable(v));
  const out = f(...vars);
  const first = gradients(out, vars, { seed: ones(out.shape, { dtype: out.dtype }), createGraph: true });
  const total = first.map((g) => sum(g)).reduce((a, b) => a.add(b));
  const second = gradients(total, vars);
  const tangent = jvp(
    f,
    values,
    values.map((v) => ones(v.shape, { dtype })),
  ).tangent;
  return { out, first, second, tangent };
}

/** float32 values equal the float64 reference to float32 precision: 1e-4 relative, 1e-4 absolute. */
function expectClose(actual: Tensor, reference: Tensor, what: string): void {
  const a = actual.toFlatArray();
  reference.toFlatArray().forEach((r, i) => {
    expect(Math.abs(a[i] - r), `${what} element ${i}: ${a[i]} vs ${r}`).toBeLessThanOrEqual(
      1e-4 * (1 + Math.abs(r)),
    );
  });
}

describe.each(allOps().map((op) => [op.name, op] as const))('%s with float32 operands', (_, op) => {
  it(
    'keeps derivatives float32 and equal to the float64 ones',
    () => {
      fc.assert(
        fc.property(inDomainOf(op), ({ inputs, attrs }) => {
          const d32 = derivatives(op, inputs, attrs, 'float32');
          const d64 = derivatives(op, inputs, attrs, 'float64');
          d32.first.forEach((g, i) => {
            expect(g.dtype).toBe('float32');
            expect(d32.second[i].dtype).toBe('float32');
            expectClose(g, d64.first[i], 'first derivative');
            expectClose(d32.second[i], d64.second[i], 'second derivative');
          });
          expect(d32.tangent.dtype).toBe(d32.out.dtype);
          expectClose(d32.tangent, d64.tangent, 'tangent');
        }),
        { seed: settings.runSeed, numRuns: settings.numRuns },
      );
    },
    settings.timeoutMs,
  );
});
