import { ShapeError, deriveSeed, tensor } from '@chainrule/autograd';
import type { Batch } from '@chainrule/datasets';
import { batches } from '@chainrule/datasets';
import { describe, expect, it } from 'vitest';

// Row i of x is [i, i + 0.5]; y[i] = i, so each batch shows which rows it gathered.
const n = 10;
const x = tensor(
  Float32Array.from({ length: 2 * n }, (_, k) => Math.floor(k / 2) + (k % 2) / 2),
  {
    shape: [n, 2],
  },
);
const y = tensor(Int32Array.from({ length: n }, (_, i) => i));

const rowsOf = (list: Iterable<Batch>): number[][] => [...list].map((b) => Array.from(b.y.data));

describe('batches', () => {
  it('yields consecutive rows without shuffle, the last batch smaller', () => {
    const list = batches(x, y, { batchSize: 4 });
    expect(list.length).toBe(3);
    expect(rowsOf(list)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    const [first] = list;
    expect(first.x.shape).toEqual([4, 2]);
    expect(first.x.dtype).toBe('float32');
    expect(Array.from(first.x.data)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
  });

  it('drops the short last batch with dropLast', () => {
    const list = batches(x, y, { batchSize: 4, dropLast: true });
    expect(list.length).toBe(2);
    expect(rowsOf(list).flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('shuffles by seed: a permutation, the same order for the same seed, bit for bit', () => {
    const a = batches(x, y, { batchSize: 3, shuffle: true, seed: deriveSeed(42, 'epoch0') });
    const again = batches(x, y, { batchSize: 3, shuffle: true, seed: deriveSeed(42, 'epoch0') });
    const other = batches(x, y, { batchSize: 3, shuffle: true, seed: deriveSeed(42, 'epoch1') });
    const order = rowsOf(a).flat();
    expect([...order].sort((p, q) => p - q)).toEqual([...Array(n).keys()]);
    expect(order).not.toEqual([...Array(n).keys()]);
    expect(rowsOf(again)).toEqual(rowsOf(a));
    // Iterating the same iterable again replays the same order.
    expect(rowsOf(a)).toEqual(rowsOf(a));
    expect(rowsOf(other).flat()).not.toEqual(order);
    const xs = [...a].map((b) => Buffer.from(b.x.data.buffer));
    [...again].forEach((b, k) => expect(Buffer.from(b.x.data.buffer).equals(xs[k])).toBe(true));
    // x rows travel with their y rows.
    for (const b of a) b.y.data.forEach((i, k) => expect(b.x.data[2 * k]).toBe(i));
  });

  it('rejects mismatched rows, a bad batch size and shuffling without a seed', () => {
    expect(() => batches(x, tensor(Int32Array.from([1])), { batchSize: 2 })).toThrow(ShapeError);
    expect(() => batches(x, y, { batchSize: 0 })).toThrow(/batchSize must be an integer/);
    expect(() => batches(x, y, { batchSize: 2, shuffle: true })).toThrow(/no seed/);
  });
});
