import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ChainruleError,
  allOps,
  apply,
  broadcastShapes,
  maximum,
  mul,
  opTable,
  relu,
  variable,
} from '@chainrule/autograd';
import type { OpDef } from '@chainrule/autograd';
import {
  broadcastableShapes,
  distinctTensors,
  inDomainOf,
  kinkPoints,
  runSettings,
  shape,
  tensor,
  unsuitablePoint,
} from '@chainrule/autograd/testing';

const runs = { seed: 42, numRuns: 60 };

describe('shape arbitraries', () => {
  it('shape() respects its bounds', () => {
    fc.assert(
      fc.property(shape({ minRank: 1, maxRank: 2, maxDim: 4 }), (s) => {
        expect(s.length).toBeGreaterThanOrEqual(1);
        expect(s.length).toBeLessThanOrEqual(2);
        expect(s.every((d) => d >= 1 && d <= 4)).toBe(true);
      }),
      runs,
    );
  });

  it('broadcastableShapes(n) always broadcast together, and really mix ranks and size-1 dimensions', () => {
    let mixed = 0;
    fc.assert(
      fc.property(broadcastableShapes(3), (shapes) => {
        expect(shapes).toHaveLength(3);
        expect(() => broadcastShapes('test', shapes)).not.toThrow();
        if (new Set(shapes.map((s) => s.join(','))).size > 1) mixed++;
      }),
      runs,
    );
    expect(mixed).toBeGreaterThan(runs.numRuns / 3);
  });
});

describe('tensor arbitraries', () => {
  it('draw values inside the domain, kept a margin away from the points to avoid', () => {
    const margin = 0.01;
    fc.assert(
      fc.property(tensor({ shape: [4], domain: { min: -1, max: 3 }, avoid: [0, 1], margin }), (t) => {
        expect(t.shape).toEqual([4]);
        for (const v of t.data) {
          expect(v).toBeGreaterThan(-1);
          expect(v).toBeLessThan(3);
          expect(Math.abs(v)).toBeGreaterThanOrEqual(margin);
          expect(Math.abs(v - 1)).toBeGreaterThanOrEqual(margin);
        }
      }),
      runs,
    );
  });

  it('spread values over the domain instead of clustering near zero', () => {
    const [t] = fc.sample(tensor({ shape: [200] }), { seed: 1, numRuns: 1 });
    const large = t.data.filter((v) => Math.abs(v) > 0.5).length;
    // Uniform on (−2, 2) puts 75% of the values beyond ±0.5.
    expect(large).toBeGreaterThan(100);
  });

  it('distinctTensors never repeat a value across the tensors', () => {
    fc.assert(
      fc.property(
        broadcastableShapes(2).chain((s) => distinctTensors(s)),
        (ts) => {
          const all = ts.flatMap((t) => t.toFlatArray());
          expect(new Set(all).size).toBe(all.length);
          expect(all.includes(0)).toBe(false);
        },
      ),
      runs,
    );
  });
});

describe('inDomainOf', () => {
  it.each(allOps().map((op) => [op.name, op] as const))(
    '%s: draws valid operands inside its domain, away from its kinks',
    (_, op) => {
      fc.assert(
        fc.property(inDomainOf(op), ({ inputs, attrs }) => {
          expect(() => apply(op, inputs, attrs)).not.toThrow();
          inputs.forEach((x, i) => {
            const domain = op.domain?.[i] ?? {};
            const kinks = kinkPoints(op, i, attrs);
            for (const v of x.data) {
              if (domain.min !== undefined) expect(v).toBeGreaterThan(domain.min);
              if (domain.max !== undefined) expect(v).toBeLessThan(domain.max);
              // The default margin is 1e-3; 1e-4 leaves room for rounding.
              for (const k of kinks) expect(Math.abs(v - k)).toBeGreaterThan(1e-4);
            }
          });
        }),
        { seed: 42, numRuns: 25 },
      );
    },
  );

  it('treats a custom op outside the table as an elementwise op', () => {
    const cube: OpDef = {
      ...opTable.square,
      name: 'cube',
      domain: [{ min: 1, max: 2 }],
    };
    const [sample] = fc.sample(inDomainOf(cube), { seed: 3, numRuns: 1 });
    expect(sample.inputs).toHaveLength(1);
    expect(sample.inputs[0].toFlatArray().every((v) => v > 1 && v < 2)).toBe(true);
    const padLike: OpDef = { ...opTable.gather, name: 'myGather' };
    expect(() => inDomainOf(padLike)).toThrow(ChainruleError);
  });
});

describe('unsuitablePoint', () => {
  it('flags an op evaluated next to its kink, and names it', () => {
    const x = variable([0.5, 1e-4]);
    expect(unsuitablePoint(relu(x))).toMatch(/relu/);
    expect(unsuitablePoint(relu(variable([0.5, 0.2])))).toBeNull();
  });

  it('does not flag maximum(x, x): a tie that never breaks is no kink', () => {
    const x = variable([0.5, 1]);
    expect(unsuitablePoint(maximum(x, x))).toBeNull();
    expect(unsuitablePoint(maximum(x, variable([0.5, 0])))).toMatch(/maximum/);
  });

  it('flags ties inside max/min reductions and values too large for finite differences', () => {
    expect(
      unsuitablePoint(apply(opTable.max, [variable([1, 2, 2])], { axes: [0], keepDims: false })),
    ).toMatch(/max/);
    expect(unsuitablePoint(mul(variable([1]), 1e7))).toMatch(/beyond/);
  });
});

describe('runSettings', () => {
  it('uses the fixed seed by default and many more cases with a fresh seed in a fuzz run', () => {
    expect(runSettings(10, {})).toEqual({ runSeed: 42, numRuns: 10, fuzz: false, timeoutMs: 60_000 });
    const fuzz = runSettings(10, { CHAINRULE_FUZZ: '1' });
    expect(fuzz.fuzz).toBe(true);
    expect(fuzz.numRuns).toBe(200);
    expect(Number.isInteger(fuzz.runSeed)).toBe(true);
    expect(runSettings(10, { CHAINRULE_FUZZ: '1', CHAINRULE_SEED: '7' }).runSeed).toBe(7);
    expect(() => runSettings(10, { CHAINRULE_SEED: 'x' })).toThrow(/CHAINRULE_SEED/);
  });
});

describe('packaging', () => {
  it('keeps fast-check out of the core entry point: only src/testing imports it', () => {
    const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
      );
    const importers = files(src)
      .filter((f) => /from 'fast-check'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((f) => !f.startsWith('testing'))).toEqual([]);
  });
});
