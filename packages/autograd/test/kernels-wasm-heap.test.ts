/**
 * Arrays in the kernels' WebAssembly memory are used in place (no copy in or out). Whether an operand lives
 * there or in an ordinary array must not change a single bit: the same kernel runs on the same values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adamUpdate } from '../src/index.js';
import { wasmArithmetic } from '../src/kernels/wasm/arithmeticRunner.js';
import { wasmGemms } from '../src/kernels/wasm/gemmRunner.js';
import { wasmArray } from '../src/kernels/wasm/runtime.js';

const fuzz = process.env.CHAINRULE_FUZZ === '1';
const runs = (n: number) => ({ numRuns: fuzz ? n * 10 : n, seed: fuzz ? Date.now() : 29 });

type Float = Float32Array | Float64Array;
const single = { View: Float32Array, dtype: 'float32' } as const;
const double = { View: Float64Array, dtype: 'float64' } as const;

/** The same values in an ordinary array, or in WebAssembly memory. */
function make(kind: typeof single | typeof double, inHeap: boolean, n: number, seed: number): Float {
  const out = inHeap ? wasmArray(kind.dtype, n)! : new kind.View(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(seed * 31 + i * 1.7) * 3;
  return out;
}

describe('kernels on arrays in WebAssembly memory', () => {
  it('GEMM: every placement of A, B and C gives the bits of ordinary arrays (offsets, transposes, padding)', () => {
    const gemms = wasmGemms()!;
    fc.assert(
      fc.property(
        fc.record({
          m: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constantFrom(8, 16, 64)),
          n: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constantFrom(8, 16, 128)),
          k: fc.integer({ min: 1, max: 70 }),
          transA: fc.boolean(),
          transB: fc.boolean(),
          places: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
          offset: fc.integer({ min: 0, max: 5 }),
          double: fc.boolean(),
        }),
        ({ m, n, k, transA, transB, places, offset, double: isDouble }) => {
          const kind = isDouble ? double : single;
          const run = (isDouble ? gemms.f64 : gemms.f32) as (...args: unknown[]) => void;
          const call = (heap: readonly boolean[]) => {
            const a = make(kind, heap[0], offset + m * k, 1);
            const b = make(kind, heap[1], offset + k * n, 2);
            const c = make(kind, heap[2], offset + m * n, 3); // stale values: the kernel overwrites C
            run(a, offset, transA, b, offset, transB, c, offset, m, n, k);
            return { a: Array.from(a), c: Array.from(c) };
          };
          const ordinary = call([false, false, false]);
          const placed = call(places);
          expect(placed.c).toEqual(ordinary.c);
          expect(placed.a).toEqual(ordinary.a);
        },
      ),
      runs(60),
    );
  });

  it('elementwise arithmetic and Adam: the same bits in place as with copies', () => {
    const arithmetic = wasmArithmetic()!;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.boolean(), fc.boolean(), (n, aHeap, outHeap) => {
        const [a, b] = [make(single, aHeap, n, 4), make(single, false, n, 5)];
        const outs = [make(single, outHeap, n, 6), new Float32Array(n)];
        outs.forEach((out) =>
          arithmetic.float32(
            'div',
            a as Float32Array,
            0,
            0,
            1,
            b as Float32Array,
            0,
            0,
            1,
            out as Float32Array,
            0,
            1,
            n,
          ),
        );
        expect(Array.from(outs[0])).toEqual(Array.from(outs[1]));
        const step = (heap: boolean) => {
          const arrays = {
            p: make(single, heap, n, 7) as Float32Array,
            g: make(single, heap, n, 8) as Float32Array,
            m: make(single, false, n, 9) as Float32Array,
            v: make(single, heap, n, 10).map(Math.abs) as Float32Array,
            outP: make(single, heap, n, 11) as Float32Array,
            outM: make(single, !heap, n, 12) as Float32Array,
            outV: make(single, heap, n, 13) as Float32Array,
          };
          const k = {
            oneMinusBeta1: 0.1,
            beta2: 0.999,
            oneMinusBeta2: 0.001,
            epsilon: 1e-8,
            stepSize: 1e-3,
            correction2: 0.1,
          };
          adamUpdate(arrays, k);
          return [arrays.outP, arrays.outM, arrays.outV].map((x) => Array.from(x));
        };
        expect(step(true)).toEqual(step(false));
      }),
      runs(30),
    );
  });
});
