import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '@chainrule/autograd';
import { mnist, parseIdx } from '@chainrule/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

/** An IDX file of unsigned bytes with the given dimensions and values. */
function idx(dims: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  return Buffer.concat([header, Buffer.from(values)]);
}

/** A folder with a tiny IDX copy: `count` images of 2×3 pixels, pixel value = 10·i + p, label i % 10. */
function tinySet(count: number, gzip = false): string {
  const dir = tempDir();
  const pixels = Array.from({ length: count * 6 }, (_, k) => 10 * Math.floor(k / 6) + (k % 6));
  const labels = Array.from({ length: count }, (_, i) => i % 10);
  const write = (name: string, bytes: Buffer): void =>
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  for (const prefix of ['train', 't10k']) {
    write(`${prefix}-images-idx3-ubyte`, idx([count, 2, 3], pixels));
    write(`${prefix}-labels-idx1-ubyte`, idx([count], labels));
  }
  return dir;
}

function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

describe('parseIdx', () => {
  it('reads dimensions and values', () => {
    const parsed = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]), 'x.idx', 2);
    expect(parsed.dims).toEqual([2, 3]);
    expect(Array.from(parsed.values)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects a truncated file, naming it and the promised size', () => {
    const bytes = idx([2, 3], [1, 2, 3, 4, 5, 6]).subarray(0, 15);
    const error = dataError(() => parseIdx(bytes, 'images.idx', 2));
    expect(error.message).toMatch(
      /^images\.idx: 15 bytes, but its header promises shape \[2,3\], i\.e\. 18 bytes/,
    );
    expect(dataError(() => parseIdx(idx([2], [1, 2]).subarray(0, 2), 'a.idx', 1)).message).toContain(
      'too short',
    );
    expect(dataError(() => parseIdx(idx([2], [1, 2]).subarray(0, 6), 'b.idx', 1)).message).toContain(
      'takes 8',
    );
  });

  it('rejects trailing data, a foreign file and the wrong number of dimensions', () => {
    expect(dataError(() => parseIdx(idx([2], [1, 2, 3]), 'l.idx', 1)).message).toContain('trailing data');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(dataError(() => parseIdx(png, 'picture.png', 3)).message).toContain(
      'magic number 0x89504e47 is not the expected 0x00000803',
    );
    expect(dataError(() => parseIdx(idx([3], [1, 2, 3]), 'labels', 3)).message).toContain('0x00000801');
  });
});

describe('mnist with dir (any IDX copy)', () => {
  it('reads plain and gzipped copies alike', () => {
    for (const gzip of [false, true]) {
      const set = mnist({ dir: tinySet(4, gzip), split: 'test' });
      expect(set.imageSize).toEqual([2, 3]);
      expect(set.images.shape).toEqual([4, 6]);
      expect(Array.from(set.labels.data)).toEqual([0, 1, 2, 3]);
      expect(set.images.data[6 * 3 + 5]).toBe(Math.fround(35 / 255));
    }
  });

  it('names a missing file, mismatched files and impossible labels', () => {
    const empty = tempDir();
    expect(dataError(() => mnist({ dir: empty })).message).toContain('train-images-idx3-ubyte');

    const mismatched = tinySet(4);
    writeFileSync(join(mismatched, 'train-labels-idx1-ubyte'), idx([3], [0, 1, 2]));
    expect(dataError(() => mnist({ dir: mismatched })).message).toContain('3 labels for 4 images');

    const badLabel = tinySet(2);
    writeFileSync(join(badLabel, 'train-labels-idx1-ubyte'), idx([2], [1, 12]));
    expect(dataError(() => mnist({ dir: badLabel })).message).toContain('label 12 at index 1');

    const corrupt = tempDir();
    writeFileSync(join(corrupt, 'train-images-idx3-ubyte.gz'), Buffer.from('not gzip'));
    expect(dataError(() => mnist({ dir: corrupt })).message).toContain('is not valid gzip data');
  });
});
