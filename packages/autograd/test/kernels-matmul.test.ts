import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/index.js';
import type { Case, FloatArray } from './gemm-check.js';
import { expectColumnsOfNarrowProducts, expectMatchesReference, filled } from './gemm-check.js';
import { gemm, WASM_MIN_WORK } from '../src/kernels/matmul.js';
import { gemmReference } from '../src/kernels/matmulReference.js';
import { PACK_A_MIN_PANELS } from '../src/kernels/wasm/gemm.js';
import { THREAD_MIN_WORK, wasmGemms } from '../src/kernels/wasm/gemmRunner.js';
import { kernelThreadsReady, setKernelThreads } from '../src/kernels/wasm/threadUse.js';
import { tilings } from '../src/kernels/wasm/runtime.js';
import { ThreadChooser } from '../src/kernels/wasm/threads.js';

const fuzz = process.env.CHAINRULE_FUZZ === '1';
const runs = (n: number) => ({ numRuns: fuzz ? n * 10 : n, seed: fuzz ? Date.now() : 7 });

const caseOf = (maxDim: number): fc.Arbitrary<Case> =>
  fc.record({
    m: fc.integer({ min: 1, max: maxDim }),
    n: fc.integer({ min: 1, max: maxDim }),
    k: fc.integer({ min: 1, max: maxDim }),
    transA: fc.boolean(),
    transB: fc.boolean(),
    seed: fc.nat(),
  });

const gemms = wasmGemms();

describe('WebAssembly SIMD gemm', () => {
  it('compiles on Node 20 (SIMD is available)', () => {
    expect(gemms).not.toBeNull();
  });

  for (const dtype of ['float32', 'float64'] as const) {
    const run = (c: Case) => (a: FloatArray, b: FloatArray, out: FloatArray) => {
      const kernel = (dtype === 'float32' ? gemms!.f32 : gemms!.f64) as (...args: unknown[]) => void;
      kernel(a, 0, c.transA, b, 0, c.transB, out, 0, c.m, c.n, c.k);
    };

    it(`${dtype}: matches the reference on random small and odd shapes, all transposes`, () => {
      fc.assert(
        fc.property(caseOf(19), (c) => expectMatchesReference(dtype, c, run(c))),
        runs(150),
      );
    });

    it(`${dtype}: matches the reference across k blocks and partial tiles`, () => {
      // k up to 600 crosses the 256-deep k blocks; m and n leave partial register tiles.
      fc.assert(
        fc.property(
          fc.record({
            m: fc.integer({ min: 1, max: 70 }),
            n: fc.integer({ min: 1, max: 40 }),
            k: fc.integer({ min: 200, max: 600 }),
            transA: fc.boolean(),
            transB: fc.boolean(),
            seed: fc.nat(),
          }),
          (c) => expectMatchesReference(dtype, c, run(c)),
        ),
        runs(12),
      );
    });

    it(`${dtype}: 1×1×1 and single rows, columns and depth`, () => {
      for (const [m, n, k] of [
        [1, 1, 1],
        [1, 33, 1],
        [33, 1, 1],
        [1, 1, 300],
        [5, 9, 1],
      ]) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const c = { m, n, k, transA, transB, seed: m * 1000 + n * 10 + k };
            expectMatchesReference(dtype, c, run(c));
          }
        }
      }
    });
  }

  it('reuses its memory: a large product followed by a small one gives the small one exactly', () => {
    const big = { m: 90, n: 70, k: 300, transA: false, transB: false, seed: 1 };
    expectMatchesReference('float32', big, run32(big));
    const small = { m: 3, n: 5, k: 2, transA: true, transB: false, seed: 2 };
    expectMatchesReference('float32', small, run32(small));
  });

  it('writes only its output window (offsets into larger arrays)', () => {
    const a = Float64Array.from({ length: 2 + 6 }, (_, i) => i + 1); // A = [[3,4,5],[6,7,8]] at offset 2
    const b = Float64Array.from({ length: 1 + 6 }, (_, i) => i); // B = [[1,2],[3,4],[5,6]] at offset 1
    const out = new Float64Array(3 + 4 + 2).fill(-1);
    out.fill(0, 3, 7);
    gemms!.f64(a, 2, false, b, 1, false, out, 3, 2, 2, 3);
    expect([...out]).toEqual([-1, -1, -1, 40, 52, 67, 88, -1, -1]);
  });

  it('writes only its output window when C needs row padding but no column padding (copied out at once)', () => {
    // m = 3 rounds up to a 4-row tile; n = 16 is two whole f32 panels, so C leaves scratch in one copy.
    const [m, n, k] = [3, 16, 5];
    const rng = new Rng(4);
    const a = filled(Float32Array, m * k, rng) as Float32Array;
    const b = filled(Float32Array, k * n, rng) as Float32Array;
    const out = new Float32Array(7 + m * n + 5).fill(-1);
    gemms!.f32(a, 0, false, b, 0, false, out, 7, m, n, k);
    const expected = new Float32Array(m * n);
    gemmReference.float32(a, 0, false, b, 0, false, expected, 0, m, n, k);
    // |a|, |b| ≤ 2 and k = 5: both sums are within (2k + 2)·u·Σ|a||b| ≤ 12 · 2⁻²⁴ · 20 < 2e-5 of each other.
    for (let i = 0; i < m * n; i++) expect(Math.abs(out[7 + i] - expected[i])).toBeLessThan(2e-5);
    expect([...out.subarray(0, 7), ...out.subarray(7 + m * n)]).toEqual(new Array(12).fill(-1));
  });
});

function run32(c: Case) {
  return (a: FloatArray, b: FloatArray, out: FloatArray) =>
    gemms!.f32(
      a as Float32Array,
      0,
      c.transA,
      b as Float32Array,
      0,
      c.transB,
      out as Float32Array,
      0,
      c.m,
      c.n,
      c.k,
    );
}

describe('GEMM micro-kernel forms', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: a transposed A (a tile's rows adjacent, one pointer) gives the bits of the same A stored plainly (a pointer per row)`, () => {
      const View: new (n: number) => FloatArray = dtype === 'float32' ? Float32Array : Float64Array;
      const kernel = (dtype === 'float32' ? gemms!.f32 : gemms!.f64) as (...args: unknown[]) => void;
      fc.assert(
        fc.property(
          fc.record({
            m: fc.integer({ min: 1, max: 41 }), // full tiles and a partial last one
            n: fc.integer({ min: 1, max: 20 }),
            k: fc.integer({ min: 1, max: 600 }), // crosses the 256-deep k blocks
            transB: fc.boolean(),
            seed: fc.nat(),
          }),
          ({ m, n, k, transB, seed }) => {
            const rng = new Rng(seed);
            const stored = filled(View, k * m, rng); // op(A) = storedᵀ: op(A)[i][p] = stored[p·m + i]
            const plain = new View(m * k);
            for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) plain[i * k + p] = stored[p * m + i];
            const b = filled(View, k * n, rng);
            const fast = new View(m * n);
            const strided = new View(m * n);
            kernel(stored, 0, true, b, 0, transB, fast, 0, m, n, k);
            kernel(plain, 0, false, b, 0, transB, strided, 0, m, n, k);
            expect(fast).toEqual(strided);
          },
        ),
        runs(40),
      );
    });
  }
});

describe('GEMM with a packed block of A', () => {
  // A single-thread product with at least PACK_A_MIN_PANELS panels of C copies a transposed A into a packed
  // layout (k block by k block); narrower products, and every product with a plain A, read A where it is. Each column of C is summed in the same order
  // either way, so a wide product must give, column for column, the bits of narrow products on slices of B.
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: a wide product (A packed) gives the bits of narrow ones (A in place) and matches the reference`, () => {
      const { nr } = dtype === 'float32' ? tilings.f32 : tilings.f64;
      const View: new (n: number) => FloatArray = dtype === 'float32' ? Float32Array : Float64Array;
      const kernel = (dtype === 'float32' ? gemms!.f32 : gemms!.f64) as (...args: unknown[]) => void;
      const slice = (PACK_A_MIN_PANELS - 1) * nr; // below the packing threshold
      setKernelThreads('never'); // two threads pack A only from twice as many panels (tested below)
      try {
        fc.assert(
          fc.property(
            fc.record({
              m: fc.integer({ min: 1, max: 41 }), // full row tiles and a partial last one
              n: fc.integer({ min: PACK_A_MIN_PANELS * nr, max: PACK_A_MIN_PANELS * nr + 2 * nr + 3 }),
              k: fc.integer({ min: 1, max: 600 }), // crosses the 256-deep k blocks
              transA: fc.boolean(),
              transB: fc.boolean(),
              seed: fc.nat(),
            }),
            (c) => {
              const { m, n, k, transA, transB } = c;
              const rng = new Rng(c.seed);
              const a = filled(View, m * k, rng);
              const b = filled(View, k * n, rng);
              const wide = new View(m * n);
              kernel(a, 0, transA, b, 0, transB, wide, 0, m, n, k);
              expectColumnsOfNarrowProducts(kernel, c, a, b, wide, slice);
              expectMatchesReference(dtype, c, (x, y, out) =>
                kernel(x, 0, transA, y, 0, transB, out, 0, m, n, k),
              );
            },
          ),
          runs(15),
        );
      } finally {
        setKernelThreads('auto');
      }
    });
  }
});

describe('gemm dispatch', () => {
  it('gives the reference result on both sides of the WebAssembly threshold', () => {
    const side = Math.ceil(Math.cbrt(WASM_MIN_WORK));
    for (const size of [side - 2, side + 2]) {
      const c = { m: size, n: size, k: size, transA: true, transB: true, seed: size };
      expectMatchesReference('float32', c, (a, b, out) =>
        gemm(a, 0, true, b, 0, true, out, 0, size, size, size),
      );
    }
  });

  it('multiplies int32 exactly in the reference loops', () => {
    const out = new Int32Array(4);
    gemm(Int32Array.of(1, 2, 3, 4), 0, false, Int32Array.of(5, 6, 7, 8), 0, true, out, 0, 2, 2, 2);
    expect([...out]).toEqual([17, 23, 39, 53]);
  });
});

describe('two-thread gemm', () => {
  it('gives bit-identical results with and without the helper thread (a chunk of columns is computed the same way by either thread)', async () => {
    for (let i = 0; i < 100 && !kernelThreadsReady(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(kernelThreadsReady()).toBe(true);
    // ≥ THREAD_MIN_WORK multiply-adds, 17 panels (a short last chunk), enough for each thread to pack its own
    // copy of A, and two k blocks of it.
    const [m, n, k] = [67, 130, 300];
    expect(m * n * k).toBeGreaterThanOrEqual(THREAD_MIN_WORK);
    expect(Math.ceil(n / tilings.f32.nr)).toBeGreaterThanOrEqual(2 * PACK_A_MIN_PANELS);
    expect(k).toBeGreaterThan(tilings.f32.kc);
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      const c = { m, n, k, transA, transB, seed: 5 };
      const rng = new Rng(9);
      const a = filled(Float32Array, m * k, rng) as Float32Array;
      const b = filled(Float32Array, k * n, rng) as Float32Array;
      const threaded = new Float32Array(m * n);
      const single = new Float32Array(m * n);
      try {
        setKernelThreads('always');
        gemms!.f32(a, 0, transA, b, 0, transB, threaded, 0, m, n, k);
        setKernelThreads('never');
        gemms!.f32(a, 0, transA, b, 0, transB, single, 0, m, n, k);
      } finally {
        setKernelThreads('auto');
      }
      expect(threaded).toEqual(single);
      expectMatchesReference('float32', c, run32(c));
    }
  });

  it('keeps every product of a mixed stream identical to one thread (awake, asleep and small in between)', async () => {
    for (let i = 0; i < 100 && !kernelThreadsReady(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(kernelThreadsReady()).toBe(true);
    const rng = new Rng(11);
    // Above the threshold with 9, 17 and 3 panels (odd counts leave a short last chunk), with a small product and
    // a pause (the helper falls asleep) between some of them; both element types.
    const shapes = [
      { m: 64, n: 72, transA: false, transB: false, pause: false },
      { m: 3, n: 5, transA: true, transB: false, pause: false },
      { m: 37, n: 130, transA: true, transB: false, pause: true },
      { m: 64, n: 20, transA: false, transB: true, pause: false },
      { m: 64, n: 130, transA: false, transB: true, pause: true },
    ];
    for (const dtype of ['float32', 'float64'] as const) {
      const View = dtype === 'float32' ? Float32Array : Float64Array;
      const run = (dtype === 'float32' ? gemms!.f32 : gemms!.f64) as (...args: unknown[]) => void;
      const cases = shapes.map((s) => {
        const k = s.m * s.n < 64 ? 2 : Math.ceil(THREAD_MIN_WORK / (s.m * s.n));
        return { ...s, k, a: filled(View, s.m * k, rng), b: filled(View, k * s.n, rng) };
      });
      const product = (c: (typeof cases)[number]) => {
        const out = new View(c.m * c.n);
        run(c.a, 0, c.transA, c.b, 0, c.transB, out, 0, c.m, c.n, c.k);
        return out;
      };
      try {
        setKernelThreads('never');
        const single = cases.map(product);
        setKernelThreads('always');
        for (const [i, c] of cases.entries()) {
          if (c.pause) await new Promise((r) => setTimeout(r, 20));
          expect(product(c)).toEqual(single[i]);
        }
      } finally {
        setKernelThreads('auto');
      }
    }
  });
});

describe('thread choice', () => {
  /**
   * Runs `calls` calls of one shape whose times are given per mode (the two-thread time may depend on how many
   * calls used the helper so far, counting this one); returns how many used the helper.
   */
  function helped(
    chooser: ThreadChooser,
    calls: number,
    ms: { one: number; two: number | ((helperCall: number) => number) },
  ): number {
    let count = 0;
    for (let i = 0; i < calls; i++) {
      const two = chooser.useHelper('s');
      if (two) count++;
      const twoMs = typeof ms.two === 'number' ? ms.two : ms.two(count);
      chooser.record('s', two, two ? twoMs : ms.one);
    }
    return count;
  }

  it('uses the helper where it measured faster and leaves it where it measured slower, and follows a change', () => {
    const chooser = new ThreadChooser();
    // Quiet machine: two threads take 0.25 ms, one 0.4 ms. Three calls in each mode to start (the first two of
    // a mode are not counted); from call 7 both are known, and one thread is explored for two calls after 4,
    // 8, 16, then every 32 calls: calls 11-12, 19-20, 35-36, 67-68, 99-100 and 131-132.
    expect(helped(chooser, 160, { one: 0.4, two: 0.25 })).toBe(160 - 3 - 12);
    // The other core gets busy: two threads now take 0.6 ms. After two counted slow calls (161, 162) their
    // median passes one thread's and one thread takes over; the helper is explored for two calls after 4, 8,
    // 16, then every 32 calls (12 explorations up to call 480).
    const busy = helped(chooser, 320, { one: 0.4, two: 0.6 });
    expect(busy).toBe(2 + 2 * 12);
  });

  it('is not swayed by one slow call', () => {
    // Two threads take 0.25 ms, one 0.4 ms, but every tenth call with the helper stalls for 1.5 ms (the OS
    // scheduled the helper late). A moving average of the two-thread times jumps past 0.4 ms at each stall
    // and hands the following calls to one thread; the median of the latest three does not move. Only the
    // start-up (calls 4-6) and the 11 explorations up to call 320 run on one thread.
    const stalls = (helperCall: number) => (helperCall % 10 === 0 ? 1.5 : 0.25);
    expect(helped(new ThreadChooser(), 320, { one: 0.4, two: stalls })).toBe(320 - 3 - 2 * 11);
  });

  it('returns to the helper soon after a burst of slow calls', () => {
    const chooser = new ThreadChooser();
    helped(chooser, 200, { one: 0.4, two: 0.25 });
    // The other core is busy for five calls: the helper's calls take 0.6 ms, enough to hand the shape to one
    // thread. Re-explored after 4 and then 8 calls, the helper is back within about 16 calls, not after a
    // whole exploration period of 32.
    helped(chooser, 5, { one: 0.4, two: 0.6 });
    expect(helped(chooser, 32, { one: 0.4, two: 0.25 })).toBeGreaterThanOrEqual(32 - 16);
  });

  it('with a bias, keeps the helper unless one thread measures that many times faster', () => {
    // One thread 0.4 ms, two threads 0.6 ms: 1.5 times slower. Without a bias the helper is only explored
    // (plus the first three calls); with a bias of 2 it keeps every call; at 0.9 ms (2.25 times) it loses.
    const choose = (bias: number, twoMs: number) => {
      const chooser = new ThreadChooser();
      let count = 0;
      for (let i = 0; i < 100; i++) {
        const two = chooser.useHelper('s', bias);
        if (two) count++;
        chooser.record('s', two, two ? twoMs : 0.4);
      }
      return count;
    };
    expect(choose(1, 0.6)).toBeLessThan(15);
    expect(choose(2, 0.6)).toBeGreaterThan(85);
    expect(choose(2, 0.9)).toBeLessThan(15);
  });

  it('keeps the times of different shapes apart', () => {
    const chooser = new ThreadChooser();
    for (let i = 0; i < 40; i++) {
      for (const [shape, faster] of [
        ['big', true],
        ['small', false],
      ] as const) {
        const two = chooser.useHelper(shape);
        chooser.record(shape, two, two === faster ? 1 : 2);
      }
    }
    expect([0, 1, 2].map(() => chooser.useHelper('big'))).toEqual([true, true, true]);
    expect([0, 1, 2].map(() => chooser.useHelper('small'))).toEqual([false, false, false]);
  });
});
