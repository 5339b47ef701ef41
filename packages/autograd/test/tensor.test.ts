import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ShapeError,
  arange,
  eye,
  full,
  linspace,
  ones,
  rand,
  randn,
  scalar,
  tensor,
  variable,
  zeros,
} from '@chainrule/autograd';

describe('creation', () => {
  it('infers shape from nested arrays and defaults to float64', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float64');
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(scalar(2.5).shape).toEqual([]);
    expect(scalar(2.5).item()).toBe(2.5);
  });

  it('stores a single number as its dtype would: float32 rounds once, int32 truncates like Int32Array', () => {
    expect(scalar(0.1, { dtype: 'float32' }).item()).toBe(Math.fround(0.1));
    expect(variable(0.1, { dtype: 'float32' }).data).toEqual(new Float32Array([0.1]));
    expect(scalar(-2.7, { dtype: 'int32' }).item()).toBe(-2);
    expect(scalar(2 ** 31 + 5, { dtype: 'int32' }).item()).toBe(new Int32Array([2 ** 31 + 5])[0]);
    expect(scalar(0.1).data).toEqual(new Float64Array([0.1]));
    expect(tensor(3, { shape: [1] }).toArray()).toEqual([3]);
    expect(() => scalar(1, { dtype: 'int8' as 'int32' })).toThrow(/unknown dtype 'int8'/);
  });

  it('keeps a typed array dtype and takes an explicit shape', () => {
    const t = tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('rejects ragged arrays and wrong element counts with a ShapeError', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor(new Float64Array(5), { shape: [2, 2] })).toThrow(
      /5 values do not fill shape \[2,2\]/,
    );
  });

  it('builds zeros, ones, full, arange, linspace and eye', () => {
    expect(zeros([2]).toArray()).toEqual([0, 0]);
    expect(ones([1, 2], { dtype: 'float32' }).dtype).toBe('float32');
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('draws seeded random numbers bit-identically', () => {
    const a = randn([1000], { seed: 42 });
    const b = randn([1000], { seed: 42 });
    const c = randn([1000], { seed: 43 });
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(c.data.buffer))).toBe(false);
    // Sample moments of 1000 standard normals: mean within 4σ/√n ≈ 0.13, variance within ~0.2.
    const m = a.mean().item();
    const v = a.sub(m).square().mean().item();
    expect(Math.abs(m)).toBeLessThan(0.13);
    expect(Math.abs(v - 1)).toBeLessThan(0.2);
    const u = rand([1000], { seed: 1 });
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
  });
});

describe('dtypes', () => {
  it('refuses to mix float32 and float64 without a cast', () => {
    const a = tensor([1, 2], { dtype: 'float32' });
    const b = tensor([1, 2]);
    expect(() => a.add(b)).toThrow(DTypeError);
    expect(() => a.add(b)).toThrow(/add: operands mix float32 and float64/);
    expect(a.add(b.cast('float32')).dtype).toBe('float32');
  });

  it('gives plain numbers the dtype of the tensor they meet', () => {
    const a = tensor([1, 2], { dtype: 'float32' });
    expect(a.mul(2).dtype).toBe('float32');
    expect(a.mul(0.1).data[0]).toBe(Math.fround(0.1));
  });

  it('moves int32 data through layout ops but refuses to mix dtypes there too', () => {
    const idx = tensor([0, 1, 2, 3], { dtype: 'int32' });
    expect(idx.reshape([2, 2]).dtype).toBe('int32');
    expect(idx.reshape([2, 2]).transpose().toArray()).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(() =>
      idx
        .reshape([4, 1])
        .broadcastTo([4, 2])
        .gather(tensor([0], { dtype: 'int32' }), 1),
    ).not.toThrow();
    expect(() => tensor([1.5]).reshape([1]).add(idx)).toThrow(DTypeError);
  });

  it('keeps int32 out of float ops and out of variables', () => {
    const idx = tensor([0, 1], { dtype: 'int32' });
    expect(() => idx.exp()).toThrow(DTypeError);
    expect(() => variable(idx)).toThrow(/int32 tensor cannot be a variable/);
  });
});

describe('broadcasting and shapes', () => {
  it('broadcasts like NumPy', () => {
    const a = tensor([[1], [2], [3]]);
    const b = tensor([10, 20]);
    expect(a.add(b).toArray()).toEqual([
      [11, 21],
      [12, 22],
      [13, 23],
    ]);
    expect(tensor([1, 2, 3]).mul(scalar(2)).toArray()).toEqual([2, 4, 6]);
  });

  it.each(['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const)(
    '%s names the op and both shapes on a mismatch',
    (op) => {
      const a = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const b = tensor([1, 2]);
      expect(() => a[op](b)).toThrow(ShapeError);
      expect(() => a[op](b)).toThrow(new RegExp(`^${op}: shapes \\[2,3\\] and \\[2\\] cannot be broadcast`));
    },
  );

  it('reports matmul inner-dimension mismatches', () => {
    expect(() => tensor([[1, 2]]).matmul(tensor([[1, 2]]))).toThrow(
      /matmul: inner dimensions differ: \[1,2\] @ \[1,2\]/,
    );
  });

  it('reduces over axes with keepDims', () => {
    const t = tensor([
      [1, 5, 3],
      [4, 2, 6],
    ]);
    expect(t.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(t.sum(1, true).toArray()).toEqual([[9], [12]]);
    expect(t.max(-1).toArray()).toEqual([5, 6]);
    expect(t.min().item()).toBe(1);
    expect(t.mean(0).toArray()).toEqual([2.5, 3.5, 4.5]);
  });

  it('moves data: reshape, transpose, slice, concat, stack, gather', async () => {
    const { concat, stack } = await import('@chainrule/autograd');
    const t = arange(6).reshape([2, 3]);
    expect(t.transpose().toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(t.reshape([3, -1]).shape).toEqual([3, 2]);
    expect(t.slice([0, 1], [2, 2]).toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(concat([t, t], 1).shape).toEqual([2, 6]);
    expect(stack([t, t], 0).shape).toEqual([2, 2, 3]);
    expect(t.gather(tensor([1, 1, 0], { dtype: 'int32' }), 1).toArray()).toEqual([
      [1, 1, 0],
      [4, 4, 3],
    ]);
  });

  it('gathers long rows (copied row by row), into WebAssembly memory too, as element by element', async () => {
    const { gather, tidy } = await import('@chainrule/autograd');
    // x [3, 4, 20]: rows of 20 on axis 1 take the row copy, with 3 outer blocks; the expected values come from
    // the index arithmetic itself.
    const x = tensor(
      Float32Array.from({ length: 240 }, (_, i) => i),
      { shape: [3, 4, 20] },
    );
    const indices = tensor(Int32Array.of(3, 0, 3));
    const expected = (values: number[]) => {
      for (let o = 0; o < 3; o++)
        for (let j = 0; j < 3; j++)
          for (let k = 0; k < 20; k++)
            expect(values[(o * 3 + j) * 20 + k]).toBe((o * 4 + indices.data[j]) * 20 + k);
    };
    expected(gather(x, indices, 1).toFlatArray());
    // Inside tidy the output lives in shared WebAssembly memory and is filled through a plain array; the
    // array it reuses may be longer than this output and still hold an earlier call's values.
    tidy(
      () => {
        gather(
          tensor(new Float32Array(1000).fill(7), { shape: [50, 20] }),
          tensor(Int32Array.from({ length: 40 }, (_, i) => i)),
          0,
        );
        const inside = gather(x, indices, 1);
        expect(inside.data.buffer).toBeInstanceOf(SharedArrayBuffer);
        expected(inside.toFlatArray());
        return [];
      },
      () => [],
    );
  });

  it('multiplies batched matrices with broadcast batch axes', () => {
    const a = arange(12).reshape([2, 2, 3]);
    const b = arange(6).reshape([3, 2]);
    const c = a.matmul(b);
    expect(c.shape).toEqual([2, 2, 2]);
    // Second batch, first row: [6,7,8]·[[0,1],[2,3],[4,5]] = [6·0+7·2+8·4, 6·1+7·3+8·5].
    expect(c.toArray()).toEqual([
      [
        [10, 13],
        [28, 40],
      ],
      [
        [46, 67],
        [64, 94],
      ],
    ]);
  });
});

describe('numerical stability', () => {
  it('logSoftmax and softmax stay finite for logits of ±1e4', () => {
    const logits = tensor([[1e4, -1e4, 0]]);
    expect(logits.logSoftmax().toArray()).toEqual([[0, -2e4, -1e4]]);
    expect(logits.softmax().toArray()).toEqual([[1, 0, 0]]);
    expect(logits.logSumExp().item()).toBe(1e4);
  });

  it('sigmoid and softplus do not overflow', () => {
    expect(tensor([-1000, 1000]).sigmoid().toArray()).toEqual([0, 1]);
    expect(tensor([-1000, 1000]).softplus().toArray()).toEqual([0, 1000]);
  });
});

describe('display', () => {
  it('prints values, shape and dtype', () => {
    expect(tensor([1, 2.5]).toString()).toBe('Tensor([1, 2.5], shape=[2], dtype=float64)');
    expect(arange(10).toString()).toBe('Tensor([0, 1, 2, ..., 7, 8, 9], shape=[10], dtype=float64)');
    expect(() => tensor([1, 2]).item()).toThrow(/item\(\) needs exactly one element/);
  });
});
