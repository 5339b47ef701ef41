import { ShapeError, DataError, tensor } from '@chainrule/autograd';
import { trainTestSplit } from '@chainrule/datasets';
import { describe, expect, it } from 'vitest';

/** x row i is [i, 10·i]; y row i is i % 3 (three classes of unequal size when n is not a multiple of 3). */
function rows(n: number): { x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  const x = tensor(
    Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : 5 * k - 5)),
    {
      shape: [n, 2],
    },
  );
  const y = tensor(Int32Array.from({ length: n }, (_, i) => i % 3));
  return { x, y };
}

describe('trainTestSplit', () => {
  const { x, y } = rows(100);

  it('partitions the rows: ⌈0.25·N⌉ test rows, every row exactly once, x and y kept together', () => {
    const split = trainTestSplit(x, y, { seed: 1 });
    expect(split.testIndex.length).toBe(25);
    expect(split.trainIndex.length).toBe(75);
    expect([...split.trainIndex, ...split.testIndex].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(split.xTrain.shape).toEqual([75, 2]);
    expect(split.yTest.shape).toEqual([25]);
    split.testIndex.forEach((i, k) => {
      expect(split.xTest.data[2 * k]).toBe(i);
      expect(split.xTest.data[2 * k + 1]).toBe(10 * i);
      expect(split.yTest.data[k]).toBe(i % 3);
    });
  });

  it('is bit-identical for the same seed and different for another', () => {
    const a = trainTestSplit(x, y, { seed: 'lab', testSize: 0.2 });
    const b = trainTestSplit(x, y, { seed: 'lab', testSize: 0.2 });
    const c = trainTestSplit(x, y, { seed: 'other', testSize: 0.2 });
    expect(Array.from(a.testIndex)).toEqual(Array.from(b.testIndex));
    expect(Buffer.from(a.xTrain.data.buffer).equals(Buffer.from(b.xTrain.data.buffer))).toBe(true);
    expect(Array.from(a.testIndex)).not.toEqual(Array.from(c.testIndex));
  });

  it('keeps class proportions with stratify', () => {
    // 100 rows: classes 0, 1, 2 have 34, 33, 33 rows; 30 test rows → 10.2, 9.9, 9.9 → 10, 10, 10.
    const split = trainTestSplit(x, y, { seed: 3, testSize: 30, stratify: y });
    const counts = [0, 0, 0];
    for (const c of split.yTest.data) counts[c]++;
    expect(counts).toEqual([10, 10, 10]);
    const { x: x2, y: y2 } = rows(90);
    const unequal = tensor(Int32Array.from({ length: 90 }, (_, i) => (i < 60 ? 0 : 1)));
    const strat = trainTestSplit(x2, y2, { seed: 3, testSize: 0.3, stratify: unequal });
    const testClasses = Array.from(strat.testIndex, (i) => (i < 60 ? 0 : 1));
    expect(testClasses.filter((c) => c === 0).length).toBe(18);
    expect(testClasses.filter((c) => c === 1).length).toBe(9);
  });

  it('rejects mismatched rows, a bad test size and a bad stratify tensor', () => {
    expect(() => trainTestSplit(x, tensor(Int32Array.from([1, 2])), { seed: 0 })).toThrow(ShapeError);
    expect(() => trainTestSplit(x, y, { seed: 0, testSize: 0 })).toThrow(DataError);
    expect(() => trainTestSplit(x, y, { seed: 0, testSize: 100 })).toThrow(/leaves no rows/);
    expect(() => trainTestSplit(x, y, { seed: 0, stratify: x })).toThrow(/stratify has shape \[100,2\]/);
  });
});
