/**
 * The GEMM that skips, row block by row block, the columns of a mostly-zero A (MNIST's images): it must give
 * the bits of the dense kernel, NaN included where a zero of A meets an infinity or NaN of B, on one thread and
 * on two.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/index.js';
import { PACK_A_MIN_PANELS } from '../src/kernels/wasm/gemm.js';
import { THREAD_MIN_WORK, wasmGemms, worthSkippingZeros } from '../src/kernels/wasm/gemmRunner.js';
import { tilings } from '../src/kernels/wasm/runtime.js';
import { kernelThreadsReady, setKernelThreads } from '../src/kernels/wasm/threadUse.js';
import type { Case, FloatArray, GemmCall } from './gemm-check.js';
import { expectColumnsOfNarrowProducts, expectMatchesReference, filled } from './gemm-check.js';

const fuzz = process.env.CHAINRULE_FUZZ === '1';
const runs = (n: number) => ({ numRuns: fuzz ? n * 10 : n, seed: fuzz ? Date.now() : 7 });
const gemms = wasmGemms()!;
const kernelOf = (dtype: 'float32' | 'float64') => (dtype === 'float32' ? gemms.f32 : gemms.f64) as GemmCall;
const viewOf = (dtype: 'float32' | 'float64') => (dtype === 'float32' ? Float32Array : Float64Array);
/** Whether the runner skips the zeros of op(A) (given it is wide enough to pack A). */
const skipsZeros = (a: FloatArray, c: Case) => worthSkippingZeros(a, c.m, c.k, c.transA, tilings.f32.mr);

/**
 * op(A) (m×k, stored transposed when `transA`) shaped like a batch of MNIST images: 40% of its columns zero in
 * every row and 85% of the rest zero, half of the zeros −0.
 */
function imageLike(View: new (n: number) => FloatArray, c: Case, rng: Rng): FloatArray {
  const a = filled(View, c.m * c.k, rng);
  const emptyColumn = Array.from({ length: c.k }, () => rng.uniform() < 0.4);
  for (let i = 0; i < c.m; i++) {
    for (let p = 0; p < c.k; p++) {
      if (emptyColumn[p] || rng.uniform() < 0.85)
        a[c.transA ? p * c.m + i : i * c.k + p] = rng.uniform() < 0.5 ? 0 : -0;
    }
  }
  return a;
}

/** A product wide enough that one thread packs A (and so skips its zeros), with random depth and transposes. */
const wideCase = (nr: number): fc.Arbitrary<Case> =>
  fc.record({
    m: fc.integer({ min: 1, max: 41 }), // full row tiles and a partial last one
    n: fc.integer({ min: PACK_A_MIN_PANELS * nr, max: PACK_A_MIN_PANELS * nr + 2 * nr + 3 }),
    k: fc.integer({ min: 1, max: 600 }), // crosses the 256-deep k blocks and leaves partial vectors of A's rows
    transA: fc.boolean(),
    transB: fc.boolean(),
    seed: fc.nat(),
  });

describe('GEMM skipping the zeros of A', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const { nr } = dtype === 'float32' ? tilings.f32 : tilings.f64;
    const slice = (PACK_A_MIN_PANELS - 1) * nr; // narrow products read A in place and multiply every product
    const kernel = kernelOf(dtype);
    const View = viewOf(dtype);

    it(`${dtype}: gives the bits of the dense kernel and matches the reference`, () => {
      setKernelThreads('never'); // two threads pack A only from twice as many panels (tested below)
      let skipped = 0;
      let cases = 0;
      try {
        fc.assert(
          fc.property(wideCase(nr), (c) => {
            const rng = new Rng(c.seed);
            const a = imageLike(View, c, rng);
            const b = filled(View, c.k * c.n, rng);
            cases++;
            if (skipsZeros(a, c)) skipped++;
            const wide = new View(c.m * c.n);
            kernel(a, 0, c.transA, b, 0, c.transB, wide, 0, c.m, c.n, c.k);
            expectColumnsOfNarrowProducts(kernel, c, a, b, wide, slice);
            expectMatchesReference(dtype, c, (x, y, out) =>
              kernel(x, 0, c.transA, y, 0, c.transB, out, 0, c.m, c.n, c.k),
            );
          }),
          runs(15),
        );
      } finally {
        setKernelThreads('auto');
      }
      // Most of the products did take the zero-skipping form (a tiny A may sample as dense).
      expect(skipped).toBeGreaterThan(cases * 0.8);
    });

    it(`${dtype}: keeps 0·∞ and 0·NaN as NaN (B with infinities and NaN multiplies every zero of A)`, () => {
      setKernelThreads('never');
      try {
        fc.assert(
          fc.property(wideCase(nr), fc.nat(), (c, spot) => {
            const rng = new Rng(c.seed);
            const a = imageLike(View, c, rng);
            // Column 0 of op(A) is zero in every row; row 0 of op(B) holds ∞ in one column, so C's whole column
            // is NaN; a few more non-finite values land anywhere in B.
            for (let i = 0; i < c.m; i++) a[c.transA ? i : i * c.k] = 0;
            const b = filled(View, c.k * c.n, rng);
            const column = spot % c.n;
            b[c.transB ? column * c.k : column] = Infinity;
            for (const value of [-Infinity, NaN, Infinity]) b[Math.floor(rng.uniform() * b.length)] = value;
            const wide = new View(c.m * c.n);
            kernel(a, 0, c.transA, b, 0, c.transB, wide, 0, c.m, c.n, c.k);
            for (let i = 0; i < c.m; i++) expect(wide[i * c.n + column]).toBeNaN();
            expectColumnsOfNarrowProducts(kernel, c, a, b, wide, slice);
          }),
          runs(10),
        );
      } finally {
        setKernelThreads('auto');
      }
    });
  }

  it('gives the same bits on two threads as on one, with a non-finite B in one chunk only', async () => {
    for (let i = 0; i < 100 && !kernelThreadsReady(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(kernelThreadsReady()).toBe(true);
    // MNIST's two large products (the forward one, and the weight gradient with a transposed A) with odd sizes:
    // ≥ THREAD_MIN_WORK multiply-adds and enough panels for each thread to pack A.
    const shapes = [
      { m: 67, n: 130, k: 785, transA: false, transB: false },
      { m: 785, n: 130, k: 67, transA: true, transB: false },
      { m: 67, n: 130, k: 300, transA: false, transB: true },
    ];
    for (const dtype of ['float32', 'float64'] as const) {
      const View = viewOf(dtype);
      const kernel = kernelOf(dtype);
      for (const [index, shape] of shapes.entries()) {
        const c = { ...shape, seed: index };
        expect(c.m * c.n * c.k).toBeGreaterThanOrEqual(THREAD_MIN_WORK);
        const rng = new Rng(index);
        const a = imageLike(View, c, rng);
        expect(skipsZeros(a, c)).toBe(true);
        for (let i = 0; i < c.m; i++) a[c.transA ? i : i * c.k] = 0; // column 0 of op(A) is all zeros
        const b = filled(View, c.k * c.n, rng);
        // ∞ in row 0 of op(B), in the last chunk of columns: that whole column of C is NaN, the rest finite.
        const withInfinity = b.slice();
        withInfinity[c.transB ? (c.n - 1) * c.k : c.n - 1] = Infinity;
        for (const operand of [b, withInfinity]) {
          const product = (threads: 'always' | 'never') => {
            setKernelThreads(threads);
            const out = new View(c.m * c.n);
            kernel(a, 0, c.transA, operand, 0, c.transB, out, 0, c.m, c.n, c.k);
            return out;
          };
          try {
            const threaded = product('always');
            expect(threaded).toEqual(product('never'));
            const nanColumn = operand === withInfinity ? c.n - 1 : -1;
            expect(Array.from(threaded, Number.isNaN)).toEqual(
              Array.from(threaded, (_, e) => e % c.n === nanColumn),
            );
          } finally {
            setKernelThreads('auto');
          }
        }
        expectMatchesReference(dtype, c, (x, y, out) =>
          kernel(x, 0, c.transA, y, 0, c.transB, out, 0, c.m, c.n, c.k),
        );
      }
    }
  });

  it('skips zeros only where many columns of a row block are empty (judged from well-spread samples)', () => {
    const rng = new Rng(3);
    const c = { m: 64, n: 128, k: 784, transA: false, transB: false, seed: 0 };
    const scattered = (zeros: number) =>
      Float32Array.from({ length: c.m * c.k }, () => (rng.uniform() < zeros ? 0 : 1));
    expect(skipsZeros(imageLike(Float32Array, c, rng), c)).toBe(true);
    expect(skipsZeros(imageLike(Float32Array, { ...c, transA: true }, rng), { ...c, transA: true })).toBe(
      true,
    );
    expect(skipsZeros(scattered(0.85), c)).toBe(true); // 52% of the 4-row columns empty
    expect(skipsZeros(scattered(0.6), c)).toBe(false); // 13% empty: a ReLU layer's activations have fewer
    expect(skipsZeros(scattered(0), c)).toBe(false);
    // Zeros in a regular pattern, which samples at a regular stride could miss or see everywhere: every other
    // column (half the columns of every row block empty), and one row block in eight.
    const striped = Float32Array.from({ length: c.m * c.k }, (_, i) => (i % 2 === 0 ? 0 : 1));
    expect(skipsZeros(striped, c)).toBe(true);
    const banded = Float32Array.from({ length: c.m * c.k }, (_, i) => (Math.floor(i / c.k) % 32 < 4 ? 0 : 1));
    expect(skipsZeros(banded, c)).toBe(false);
  });
});
