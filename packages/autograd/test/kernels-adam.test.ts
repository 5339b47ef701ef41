import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adamUpdate, Rng } from '../src/index.js';
import type { AdamArrays, AdamScalars } from '../src/index.js';
import { ADAM_SIMD_MIN } from '../src/kernels/adam.js';
import { ADAM_THREAD_MIN, makeAdam, wasmAdam } from '../src/kernels/wasm/adamRunner.js';
import { f32Isa } from '../src/kernels/wasm/instructions.js';
import { compiled } from '../src/kernels/wasm/runtime.js';
import type { Helper } from '../src/kernels/wasm/threads.js';
import { kernelThreadsReady, setKernelThreads } from '../src/kernels/wasm/threadUse.js';

const fuzz = process.env.CHAINRULE_FUZZ === '1';
const runs = (n: number) => ({ numRuns: fuzz ? n * 10 : n, seed: fuzz ? Date.now() : 13 });

type View = Float32Array | Float64Array;

function arrays<T extends View>(View: new (n: number) => T, n: number, seed: number): AdamArrays<T> {
  const rng = new Rng(seed);
  const fill = (f: () => number) => {
    const a = new View(n);
    for (let i = 0; i < n; i++) a[i] = f();
    return a;
  };
  return {
    p: fill(() => rng.normal()),
    g: fill(() => rng.normal() * 0.1),
    m: fill(() => rng.normal() * 0.01),
    v: fill(() => rng.uniform() * 1e-3),
    outP: new View(n),
    outM: new View(n),
    outV: new View(n),
  };
}

function scalars(step: number, lr = 1e-3, beta1 = 0.9, beta2 = 0.999): AdamScalars {
  return {
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    epsilon: 1e-8,
    stepSize: lr / (1 - beta1 ** step),
    correction2: Math.sqrt(1 - beta2 ** step),
  };
}

/** True when two float32 arrays hold the same bits. */
const sameBits = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const sizes = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: ADAM_SIMD_MIN - 3, max: 3000 }));

describe('adamUpdate', () => {
  it('WebAssembly SIMD and the TypeScript reference agree bit for bit (float32 and float64, odd sizes)', () => {
    fc.assert(
      fc.property(
        sizes,
        fc.boolean(),
        fc.integer({ min: 1, max: 1000 }),
        fc.nat(),
        (n, single, step, seed) => {
          const View = single ? Float32Array : Float64Array;
          const fast = arrays<View>(View, n, seed);
          const reference = arrays<View>(View, n, seed);
          adamUpdate(fast as AdamArrays<Float32Array>, scalars(step), true);
          adamUpdate(reference as AdamArrays<Float32Array>, scalars(step), false);
          expect(Array.from(fast.outP)).toEqual(Array.from(reference.outP));
          expect(Array.from(fast.outM)).toEqual(Array.from(reference.outM));
          expect(Array.from(fast.outV)).toEqual(Array.from(reference.outV));
        },
      ),
      runs(40),
    );
  });

  it("matches torch.optim.Adam's formula written out in float64", () => {
    const n = 2 * ADAM_SIMD_MIN + 3;
    const x = arrays(Float64Array, n, 5);
    const k = scalars(7, 0.01, 0.8, 0.99);
    adamUpdate(x, k);
    for (let i = 0; i < n; i++) {
      const m = 0.8 * x.m[i] + 0.2 * x.g[i];
      const v = 0.99 * x.v[i] + 0.01 * x.g[i] ** 2;
      const p = x.p[i] - ((0.01 / (1 - 0.8 ** 7)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.99 ** 7) + 1e-8);
      // Different but equivalent groupings of the same float64 operations: a few ulps apart.
      expect(x.outM[i]).toBeCloseTo(m, 14);
      expect(x.outV[i]).toBeCloseTo(v, 14);
      expect(x.outP[i]).toBeCloseTo(p, 12);
    }
  });

  it('rounds every step to float32 in float32, within float32 precision of the float64 result', () => {
    const n = ADAM_SIMD_MIN + 5;
    const single = arrays(Float32Array, n, 9);
    const double: AdamArrays<Float64Array> = {
      p: Float64Array.from(single.p),
      g: Float64Array.from(single.g),
      m: Float64Array.from(single.m),
      v: Float64Array.from(single.v),
      outP: new Float64Array(n),
      outM: new Float64Array(n),
      outV: new Float64Array(n),
    };
    adamUpdate(single, scalars(3));
    adamUpdate(double, scalars(3));
    let differs = 0;
    for (let i = 0; i < n; i++) {
      // A handful of float32 roundings: relative error within ~10 ulps of float32 (2^-23 ≈ 1.2e-7).
      expect(Math.abs(single.outP[i] - double.outP[i])).toBeLessThanOrEqual(
        1e-6 * Math.abs(double.outP[i]) + 1e-12,
      );
      if (single.outV[i] !== Math.fround(double.outV[i])) differs++;
    }
    // Not a float64 computation rounded once at the end: intermediate roundings change some results.
    expect(differs).toBeGreaterThan(0);
  });

  it('splits large float32 updates with the helper thread, bit for bit as on one thread', async () => {
    for (let i = 0; i < 100 && !kernelThreadsReady(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(kernelThreadsReady()).toBe(true);
    const c = compiled()!;
    // A stand-in helper that never picks its job up: the calling thread must take the half back.
    const posted: number[][] = [];
    const idle: Helper = {
      ready: () => true,
      wake: () => {},
      start: (_kernel, args) => void posted.push([...args]),
      finish: () => 'reclaimed',
    };
    const runners = {
      real: wasmAdam()!.float32,
      handedBack: makeAdam<Float32Array>({ ...c, helper: idle }, f32Isa, 'f32'),
    };
    try {
      for (const n of [ADAM_THREAD_MIN, ADAM_THREAD_MIN + 17, 100_352 + 5]) {
        setKernelThreads('never');
        const alone = arrays(Float32Array, n, n);
        adamUpdate(alone, scalars(3));
        setKernelThreads('always');
        for (const [name, run] of Object.entries(runners)) {
          for (let call = 0; call < 4; call++) {
            // A different update first, so that scratch memory holds none of the expected values.
            run(arrays(Float32Array, n, n + 1), scalars(5));
            const split = {
              ...alone,
              outP: new Float32Array(n),
              outM: new Float32Array(n),
              outV: new Float32Array(n),
            };
            run(split, scalars(3));
            expect([name, sameBits(split.outP, alone.outP), sameBits(split.outM, alone.outM)]).toEqual([
              name,
              true,
              true,
            ]);
            expect(sameBits(split.outV, alone.outV)).toBe(true);
          }
        }
      }
    } finally {
      setKernelThreads('auto');
    }
    // The stand-in was offered the second half of each update, from a cache-line boundary.
    expect(posted.map((args) => args[7])).toEqual(
      [ADAM_THREAD_MIN, ADAM_THREAD_MIN + 17, 100_352 + 5].flatMap((n) =>
        Array(8).fill(n - Math.floor(n / 32) * 16),
      ),
    );
  });
});
