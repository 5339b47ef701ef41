import { DataError, ShapeError, tensor } from '@chainrule/autograd';
import { correlation, describe as describeData } from '@chainrule/datasets';
import { describe, expect, it } from 'vitest';

describe('describe', () => {
  it("follows pandas' definitions on a worked example", () => {
    // Column a = 1, 2, 3, 4, 10: mean 4, sample variance (9+4+1+0+36)/4 = 12.5, quartiles at positions
    // 1, 2, 3 of the sorted values → 2, 3, 4. Column b = 5, NaN, 1, 3, 2: NaN skipped, count 4, mean 2.75,
    // var (5.0625+3.0625+0.0625+0.5625)/3, quartile positions 0.75, 1.5, 2.25 over [1, 2, 3, 5].
    const x = tensor([
      [1, 5],
      [2, NaN],
      [3, 1],
      [4, 3],
      [10, 2],
    ]);
    const d = describeData(x, { names: ['a', 'b'] });
    expect(d.columns).toEqual(['a', 'b']);
    expect(Array.from(d.stats.count)).toEqual([5, 4]);
    expect(Array.from(d.stats.mean)).toEqual([4, 2.75]);
    expect(d.stats.std[0]).toBe(Math.sqrt(12.5));
    expect(Math.abs(d.stats.std[1] - Math.sqrt(8.75 / 3))).toBeLessThan(1e-15); // one rounding
    expect(Array.from(d.stats.min)).toEqual([1, 1]);
    expect(Array.from(d.stats['25%'])).toEqual([2, 1.75]);
    expect(Array.from(d.stats['50%'])).toEqual([3, 2.5]);
    expect(Array.from(d.stats['75%'])).toEqual([4, 3.5]);
    expect(Array.from(d.stats.max)).toEqual([10, 5]);
    const lines = d.toString().split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(['a', 'b']);
    expect(lines[2].trim().split(/\s+/)).toEqual(['mean', '4.000000', '2.750000']);
    expect(lines).toHaveLength(9);
  });

  it('reads a 1-D tensor as one column and checks the names', () => {
    expect(Array.from(describeData(tensor([3, 1, 2])).stats['50%'])).toEqual([2]);
    expect(() => describeData(tensor([[1, 2]]), { names: ['only'] })).toThrow(ShapeError);
  });
});

describe('correlation', () => {
  it('is the Pearson matrix: 1 on the diagonal, ±1 for linear relations, symmetric', () => {
    // b = 2a + 1 (r = 1), c = −a (r = −1), d independent-ish of a with a hand-computed r.
    const rows = [0, 1, 2, 3].map((a) => [a, 2 * a + 1, -a, [1, 0, 0, 1][a]]);
    const r = correlation(tensor(rows)).toArray() as number[][];
    expect(r.map((row, i) => row[i])).toEqual([1, 1, 1, 1]);
    // Rounding of a few products: 1e-15.
    expect(Math.abs(r[0][1] - 1)).toBeLessThan(1e-15);
    expect(Math.abs(r[0][2] + 1)).toBeLessThan(1e-15);
    // a − ā = (−1.5, −0.5, 0.5, 1.5), d − d̄ = (0.5, −0.5, −0.5, 0.5): covariance sum 0 → r = 0.
    expect(Math.abs(r[0][3])).toBeLessThan(1e-15);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(r[i][j]).toBe(r[j][i]);
  });

  it('refuses a constant column, NaN and a single row', () => {
    expect(() =>
      correlation(
        tensor([
          [1, 2],
          [1, 3],
        ]),
      ),
    ).toThrow(/column 0 is constant/);
    expect(() =>
      correlation(
        tensor([
          [1, 2],
          [NaN, 3],
        ]),
      ),
    ).toThrow(DataError);
    expect(() => correlation(tensor([[1, 2]]))).toThrow(/at least 2 rows/);
  });
});
