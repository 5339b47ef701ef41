import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, addRelu, gradients, mul, relu, sum, tensor, variable } from '../src/index.js';
import type { DType } from '../src/index.js';

const fuzz = process.env.CHAINRULE_FUZZ === '1';
const runs = (n: number) => ({ numRuns: fuzz ? n * 10 : n, seed: fuzz ? Date.now() : 19 });

describe('addRelu (fused bias + activation)', () => {
  it('equals relu(add(z, b)) bit for bit, values and both gradients, with a broadcast bias, in both dtypes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom<DType>('float32', 'float64'),
        fc.integer({ min: 0, max: 1000 }),
        (rows, cols, dtype, seed) => {
          const values = (n: number, k: number) =>
            Array.from({ length: n }, (_, i) => Math.sin(seed + k * 7919 + i * 12.9898) * 2);
          const z = variable(tensor(values(rows * cols, 1), { shape: [rows, cols], dtype }));
          const b = variable(tensor(values(cols, 2), { shape: [cols], dtype }));
          const weights = tensor(values(rows * cols, 3), { shape: [rows, cols], dtype });
          const fused = addRelu(z, b);
          const plain = relu(add(z, b));
          expect(fused.dtype).toBe(dtype);
          expect(Array.from(fused.data)).toEqual(Array.from(plain.data));
          const [gz, gb] = gradients(sum(mul(fused, weights)), [z, b]);
          const [pz, pb] = gradients(sum(mul(plain, weights)), [z, b]);
          expect(Array.from(gz.data)).toEqual(Array.from(pz.data));
          expect(Array.from(gb.data)).toEqual(Array.from(pb.data));
        },
      ),
      runs(40),
    );
  });

  it('is one node in the graph', () => {
    const z = variable([[1, -2]]);
    const out = addRelu(z, tensor([0.5, 0.5]));
    expect(out.op?.name).toBe('addRelu');
    expect(out.inputs[0]).toBe(z);
    expect(out.toArray()).toEqual([[1.5, 0]]);
  });
});
