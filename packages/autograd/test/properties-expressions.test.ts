/**
 * Random expression DAGs (depth up to 6, shared subexpressions, inputs of mixed broadcastable shapes) pass
 * the same checks as single ops: third-order derivatives in reverse and forward mode against finite
 * differences, and the jvp/vjp inner-product identity.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topologicalOrder, variable } from '@chainrule/autograd';
import { checkGradients, expression, expressionOps, runSettings } from '@chainrule/autograd/testing';
import type { Expression, GradientCase } from '@chainrule/autograd/testing';

const settings = runSettings(400);
if (settings.fuzz) console.log(`properties-expressions: fuzz run with seed ${settings.runSeed}`);

describe('random expression DAGs', () => {
  it(
    'match finite differences to third order, and the run exercises every composable op',
    () => {
      const seen = new Set<string>();
      const cases = expression({ depth: 6, inputs: 3 });
      checkGradients(cases, {
        order: 3,
        runSeed: settings.runSeed,
        numRuns: settings.numRuns,
        onChecked: (c: GradientCase) => (c as Expression).ops.forEach((name) => seen.add(name)),
      });
      // Coverage is measured on the cases actually checked (skipped kink cases do not count).
      expect([...seen].sort()).toEqual([...expressionOps()].sort());
    },
    settings.timeoutMs,
  );

  it(
    'reach depth 6 and share subexpressions',
    () => {
      const drawn = fc.sample(expression({ depth: 6, inputs: 3 }), { seed: settings.runSeed, numRuns: 200 });
      expect(Math.max(...drawn.map((e) => e.depth))).toBe(6);
      expect(drawn.every((e) => e.depth <= 6)).toBe(true);
      // A node used by two later nodes (or twice by one) is a shared subexpression.
      const shared = drawn.filter((e) => {
        const y = e.f(...e.inputs.map((x) => variable(x)));
        const uses = new Map<unknown, number>();
        for (const node of topologicalOrder([y]))
          for (const input of node.inputs) uses.set(input, (uses.get(input) ?? 0) + 1);
        return [...uses.values()].some((n) => n > 1);
      });
      expect(shared.length).toBeGreaterThan(drawn.length / 4);
    },
    settings.timeoutMs,
  );

  it(
    'replay the same function at every point (the plan never looks at values)',
    () => {
      const [e] = fc.sample(expression({ depth: 6 }), { seed: 7, numRuns: 1 });
      const once = e.f(...e.inputs.map((x) => variable(x)));
      const again = e.f(...e.inputs.map((x) => variable(x)));
      expect(again.toFlatArray()).toEqual(once.toFlatArray());
      expect(topologicalOrder([again]).map((n) => n.op?.name)).toEqual(
        topologicalOrder([once]).map((n) => n.op?.name),
      );
    },
    settings.timeoutMs,
  );
});
