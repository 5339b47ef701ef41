/**
 * The project's gradient suite over the op table: every op, at inputs drawn from its declared domain (kinks
 * avoided by a margin) with broadcast shapes, checked to third order in reverse and forward mode (including
 * the jvp/vjp inner-product identity), gradient shapes of broadcast and empty operands, and second derivatives
 * by forward-over-forward against reverse-over-reverse. Fixed seed in CI; CHAINRULE_FUZZ=1 draws 20× more
 * with a fresh seed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allOps,
  apply,
  deriveSeed,
  formatShape,
  gradients,
  jvp,
  mul,
  opTable,
  randn,
  sum,
  variable,
} from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';
import {
  checkGradients,
  expressionExclusions,
  expressionOps,
  inDomainOf,
  opCases,
  opsWithoutSamples,
  runSettings,
} from '@chainrule/autograd/testing';

const settings = runSettings(60);
if (settings.fuzz)
  console.log(`properties-ops: fuzz run with seed ${settings.runSeed} (CHAINRULE_SEED replays it)`);

describe('every op in the table is exercised', () => {
  it(
    'has a sample spec for every op (an op added without one fails here)',
    () => {
      expect(opsWithoutSamples()).toEqual([]);
    },
    settings.timeoutMs,
  );

  it(
    'either composes into random expressions or is excluded with a stated reason',
    () => {
      const composed = new Set<string>(expressionOps());
      const excluded = Object.keys(expressionExclusions);
      for (const name of Object.keys(opTable)) {
        expect(composed.has(name) !== excluded.includes(name), `op '${name}'`).toBe(true);
      }
    },
    settings.timeoutMs,
  );
});

/** Ops whose operands broadcast against each other. */
const broadcasting = new Set([
  'add',
  'addRelu',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'equal',
  'logicalAnd',
  'where',
  'matmul',
]);

describe.each(allOps().map((op) => [op.name, op] as const))('%s', (name, op) => {
  it(
    'matches finite differences to third order in both modes',
    () => {
      // Default gradcheck tolerances (atol 1e-5, rtol 1e-3) against central differences with eps 1e-6: the
      // truncation error ~eps²·f‴ is ~1e-12 and rounding ~1e-16/eps ~1e-10 on these value ranges.
      const shapes: string[][] = [];
      let largest = 0;
      checkGradients(opCases(op), {
        order: 3,
        runSeed: settings.runSeed,
        numRuns: settings.numRuns,
        onChecked: (c) => {
          shapes.push(c.inputs.map((x) => formatShape(x.shape)));
          largest = Math.max(largest, ...c.inputs.map((x) => x.size));
        },
      });
      // The checked cases are not degenerate: some operand has several elements, and the operands of
      // broadcasting ops really come in different shapes.
      expect(largest).toBeGreaterThan(1);
      if (broadcasting.has(name)) expect(shapes.some((s) => new Set(s).size > 1)).toBe(true);
    },
    settings.timeoutMs,
  );

  it(
    'gives each operand a gradient of its own shape and dtype (broadcast and empty operands included)',
    () => {
      fc.assert(
        fc.property(inDomainOf(op, { minDim: 0 }), ({ inputs, attrs }) => {
          const vars = inputs.map((x) => (x.dtype === 'int32' ? x : variable(x)));
          const y = apply(op, vars, attrs);
          const floats = vars.filter((v): v is Tensor => v.dtype !== 'int32');
          const grads = gradients(y, floats, { seed: y.mul(0).add(1) });
          grads.forEach((g, i) => {
            expect(g.shape, `${name} operand ${i}`).toEqual(floats[i].shape);
            expect(g.dtype).toBe(floats[i].dtype);
          });
        }),
        { seed: settings.runSeed, numRuns: settings.numRuns },
      );
    },
    settings.timeoutMs,
  );

  it(
    'has second derivatives that agree between forward-over-forward and reverse-over-reverse',
    () => {
      fc.assert(
        fc.property(inDomainOf(op), ({ inputs, attrs }) => {
          const k = inputs.findIndex((x) => x.dtype !== 'int32');
          const x0 = inputs[k];
          const v = randn(x0.shape, { seed: deriveSeed(settings.runSeed, 'direction') });
          const u = randn(apply(op, inputs, attrs).shape, {
            seed: deriveSeed(settings.runSeed, 'cotangent'),
          });
          const g = (x: Tensor) =>
            sum(
              mul(
                u,
                apply(
                  op,
                  inputs.map((y, i) => (i === k ? x : y)),
                  attrs,
                ),
              ),
            );
          // d²/dt² g(x + t·v) by two nested jvps ...
          const forward = jvp((x: Tensor) => jvp(g, [x], [v]).tangent, [x0], [v]).tangent.item();
          // ... and as vᵀ·∇(∇g·v) by two nested reverse passes.
          const xv = variable(x0);
          const [grad] = gradients(g(xv), [xv], { createGraph: true });
          const [hv] = gradients(sum(mul(grad, v)), [xv]);
          const reverse = sum(mul(hv, v)).item();
          // Both are exact up to rounding of a few dozen float64 operations.
          expect(Math.abs(forward - reverse)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(reverse)));
        }),
        { seed: settings.runSeed, numRuns: settings.numRuns },
      );
    },
    settings.timeoutMs,
  );
});
