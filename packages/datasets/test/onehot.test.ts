import { DTypeError, DataError, ShapeError, tensor } from '@chainrule/autograd';
import { oneHot } from '@chainrule/datasets';
import { describe, expect, it } from 'vitest';

describe('oneHot', () => {
  it('puts a single 1 in the column of each label', () => {
    const hot = oneHot(tensor(Int32Array.from([2, 0, 1, 2])));
    expect(hot.shape).toEqual([4, 3]);
    expect(hot.dtype).toBe('float32');
    expect(hot.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const wide = oneHot(tensor(Int32Array.from([1])), { numClasses: 4, dtype: 'float64' });
    expect(wide.dtype).toBe('float64');
    expect(wide.toArray()).toEqual([[0, 1, 0, 0]]);
  });

  it('rejects float labels, 2-D labels and labels outside the classes', () => {
    expect(() => oneHot(tensor([0, 1]))).toThrow(DTypeError);
    expect(() => oneHot(tensor(Int32Array.from([0, 1]), { shape: [1, 2] }))).toThrow(ShapeError);
    expect(() => oneHot(tensor(Int32Array.from([0, 3])), { numClasses: 3 })).toThrow(DataError);
    expect(() => oneHot(tensor(Int32Array.from([0, -1])))).toThrow(/label -1 at index 1/);
  });
});
