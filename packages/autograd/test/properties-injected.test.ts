/**
 * A deliberately wrong vjp must be caught by gradcheck, by the per-op property and by the random-expression
 * property, and fast-check must shrink the failure to something small: one op on a one-element tensor.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apply, cos, mul, opTable, tensor, topologicalOrder, variable } from '@chainrule/autograd';
import type { OpDef } from '@chainrule/autograd';
import {
  GradcheckError,
  GradientPropertyError,
  checkGradients,
  expression,
  expressionOps,
  gradcheck,
  opCases,
  runSettings,
} from '@chainrule/autograd/testing';
import type { Expression, GradientCase } from '@chainrule/autograd/testing';

/** sin whose vjp is 10% too large. */
const wrongSin: OpDef = { ...opTable.sin, vjp: ({ g, inputs: [x] }) => [mul(g, mul(1.1, cos(x)))] };

const settings = runSettings(100);

function propertyFailure(run: () => void): GradientPropertyError {
  try {
    run();
  } catch (e) {
    if (e instanceof GradientPropertyError) return e;
    throw e;
  }
  throw new Error('the property passed although the vjp is wrong');
}

/** Op names of the counterexample's recorded graph. */
function graphOps(c: GradientCase): string[] {
  const y = c.f(...c.inputs.map((x) => variable(x)));
  return topologicalOrder([y]).flatMap((n) => (n.op ? [n.op.name] : []));
}

describe('an injected wrong vjp', () => {
  it(
    'is caught by gradcheck at an ordinary point',
    () => {
      expect(() => gradcheck((x) => apply(wrongSin, [x], undefined), [tensor([0.4, -1])])).toThrow(
        GradcheckError,
      );
    },
    settings.timeoutMs,
  );

  it(
    'is caught by the per-op property, shrunk to one op on a one-element tensor',
    () => {
      const error = propertyFailure(() =>
        checkGradients(opCases(wrongSin), { order: 1, runSeed: settings.runSeed, numRuns: settings.numRuns }),
      );
      const c = error.counterexample as GradientCase;
      expect(graphOps(c)).toEqual(['sin']);
      expect(c.inputs.map((x) => x.size)).toEqual([1]);
      expect(error.message).toMatch(/seed \d+/);
      expect(error.message).toMatch(/apply\(opTable\.sin \/\* a modified copy of this op \*\//);
    },
    settings.timeoutMs,
  );

  it(
    'is caught by the random-expression property, shrunk to a single-op expression on tiny inputs',
    () => {
      const ops = expressionOps().map((name) => (name === 'sin' ? wrongSin : opTable[name]));
      const error = propertyFailure(() =>
        checkGradients(expression({ ops, depth: 6, inputs: 3 }), {
          order: 1,
          runSeed: settings.runSeed,
          numRuns: settings.numRuns,
        }),
      );
      const e = error.counterexample as Expression;
      expect(e.ops).toEqual(['sin']);
      expect(graphOps(e)).toEqual(['sin']);
      expect(Math.max(...e.inputs.map((x) => x.size))).toBe(1);
    },
    settings.timeoutMs,
  );

  it(
    'prints a counterexample that runs as pasted',
    () => {
      const error = propertyFailure(() =>
        checkGradients(opCases(wrongSin), { runSeed: settings.runSeed, numRuns: 20 }),
      );
      const code = error.message.slice(
        error.message.indexOf('import '),
        error.message.indexOf('gradcheck(f, inputs'),
      );
      const pasted = `${code}gradcheck(f, inputs);\nconsole.log('ran');`;
      // Pasted into a project, the code rebuilds the graph with the table's (correct) sin, so it passes.
      const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
      const out = execFileSync('npx', ['tsx', '--eval', pasted], { cwd: packageDir, encoding: 'utf8' });
      expect(out.trim()).toBe('ran');
    },
    settings.timeoutMs,
  );
});
