import { DataError } from '@chainrule/autograd';
import { circles, linearRegression, moons, spirals, xor } from '@chainrule/datasets';
import { describe, expect, it } from 'vitest';

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe('xor', () => {
  it("is the lecture's four samples", () => {
    const { x, y } = xor();
    expect(x.toArray()).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(y.toArray()).toEqual([[0], [1], [1], [0]]);
    expect(x.dtype).toBe('float64');
    expect(xor({ dtype: 'float32' }).y.dtype).toBe('float32');
  });
});

describe('moons and circles', () => {
  it('without noise, the points lie exactly on their curves', () => {
    const m = moons({ n: 101, seed: 0 });
    expect(m.x.shape).toEqual([101, 2]);
    const labels = Array.from(m.y.data);
    expect(labels.filter((c) => c === 0).length).toBe(50);
    expect(labels.filter((c) => c === 1).length).toBe(51);
    labels.forEach((c, i) => {
      const [px, py] = [m.x.data[2 * i], m.x.data[2 * i + 1]];
      // Upper arc: unit circle centred at (0, 0), y ≥ 0; lower arc: centred at (1, 0.5), y ≤ 0.5.
      const [cx, cy] = c === 0 ? [0, 0] : [1, 0.5];
      expect(Math.abs(Math.hypot(px - cx, py - cy) - 1)).toBeLessThan(1e-12); // float64 cos/sin rounding
      expect(c === 0 ? py >= 0 : py <= 0.5 + 1e-12).toBe(true);
    });

    const c = circles({ n: 40, factor: 0.5, seed: 0 });
    Array.from(c.y.data).forEach((label, i) => {
      const r = Math.hypot(c.x.data[2 * i], c.x.data[2 * i + 1]);
      expect(Math.abs(r - (label === 0 ? 1 : 0.5))).toBeLessThan(1e-12);
    });
  });

  it('adds noise of the requested size, reproducibly', () => {
    const a = moons({ n: 2000, noise: 0.1, seed: 5 });
    const b = moons({ n: 2000, noise: 0.1, seed: 5 });
    const other = moons({ n: 2000, noise: 0.1, seed: 6 });
    expect(sameBits(a.x.data, b.x.data)).toBe(true);
    expect(sameBits(a.y.data, b.y.data)).toBe(true);
    expect(sameBits(a.x.data, other.x.data)).toBe(false);
    // Radial distance to the arc ≈ noise·|N(0,1)| projected: its RMS over 2000 points lies near 0.1.
    let squares = 0;
    Array.from(a.y.data).forEach((c, i) => {
      const [cx, cy] = c === 0 ? [0, 0] : [1, 0.5];
      squares += (Math.hypot(a.x.data[2 * i] - cx, a.x.data[2 * i + 1] - cy) - 1) ** 2;
    });
    const rms = Math.sqrt(squares / 2000);
    expect(rms).toBeGreaterThan(0.08);
    expect(rms).toBeLessThan(0.12);
  });

  it('rejects bad sizes and factors', () => {
    expect(() => moons({ n: 1, seed: 0 })).toThrow(DataError);
    expect(() => moons({ n: 10, seed: 0, noise: -1 })).toThrow(/noise/);
    expect(() => circles({ n: 10, seed: 0, factor: 1.5 })).toThrow(/factor/);
  });
});

describe('spirals', () => {
  it('spreads n samples over the arms, each arm winding outwards from the centre', () => {
    const s = spirals({ n: 301, classes: 3, seed: 1, shuffle: false });
    const labels = Array.from(s.y.data);
    expect([0, 1, 2].map((c) => labels.filter((l) => l === c).length)).toEqual([101, 100, 100]);
    const radii = labels.map((_, i) => Math.hypot(s.x.data[2 * i], s.x.data[2 * i + 1]));
    expect(radii[0]).toBe(0);
    expect(Math.abs(radii[100] - 1)).toBeLessThan(1e-12);
    for (let i = 1; i <= 100; i++) expect(radii[i]).toBeGreaterThan(radii[i - 1]);
    expect(() => spirals({ n: 10, classes: 1, seed: 0 })).toThrow(/classes/);
  });
});

describe('linearRegression', () => {
  it('recovers its true weights by least squares, and is reproducible', () => {
    const data = linearRegression({ n: 5000, weights: [2, -3], bias: 0.5, noise: 0.1, seed: 9 });
    expect(data.x.shape).toEqual([5000, 2]);
    expect(data.y.shape).toEqual([5000]);
    // Normal equations for [w1, w2, b] from sums computed here.
    const X = data.x.data;
    const Y = data.y.data;
    const m = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const r = [0, 0, 0];
    for (let i = 0; i < 5000; i++) {
      const row = [X[2 * i], X[2 * i + 1], 1];
      for (let a = 0; a < 3; a++) {
        r[a] += row[a] * Y[i];
        for (let b = 0; b < 3; b++) m[a][b] += row[a] * row[b];
      }
    }
    const solve = (A: number[][], v: number[]): number[] => {
      const M = A.map((row, i) => [...row, v[i]]);
      for (let c = 0; c < 3; c++) {
        for (let k = c + 1; k < 3; k++) {
          const f = M[k][c] / M[c][c];
          for (let j = c; j < 4; j++) M[k][j] -= f * M[c][j];
        }
      }
      const out = [0, 0, 0];
      for (let c = 2; c >= 0; c--)
        out[c] = (M[c][3] - M[c].slice(c + 1, 3).reduce((s, q, j) => s + q * out[c + 1 + j], 0)) / M[c][c];
      return out;
    };
    const [w1, w2, b] = solve(m, r);
    // Standard error of each estimate ≈ 0.1/√5000 ≈ 0.0014; allow about 7 of them.
    expect(Math.abs(w1 - 2)).toBeLessThan(0.01);
    expect(Math.abs(w2 + 3)).toBeLessThan(0.01);
    expect(Math.abs(b - 0.5)).toBeLessThan(0.01);
    const again = linearRegression({ n: 5000, weights: [2, -3], bias: 0.5, noise: 0.1, seed: 9 });
    expect(sameBits(again.y.data, data.y.data)).toBe(true);
  });

  it('draws seeded weights when none are given, and checks its options', () => {
    const a = linearRegression({ n: 3, features: 4, seed: 2 });
    expect(a.weights.length).toBe(4);
    expect(linearRegression({ n: 3, features: 4, seed: 2 }).weights).toEqual(a.weights);
    expect(() => linearRegression({ n: 3, features: 2, weights: [1], seed: 0 })).toThrow(
      /1 weights given for 2/,
    );
    expect(() => linearRegression({ n: 0, seed: 0 })).toThrow(DataError);
  });
});
