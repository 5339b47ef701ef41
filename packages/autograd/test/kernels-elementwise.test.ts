import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes, Rng, sizeOf } from '../src/index.js';
import type { Shape, TypedArray } from '../src/index.js';
import { broadcastableShapes, shape as shapeArb } from '../src/testing/arbitraries.js';
import { planBroadcast } from '../src/kernels/broadcast.js';
import { binaryKernel, SIMD_MIN_ELEMENTS, unaryKernel } from '../src/kernels/elementwise.js';
import type { ReduceKind } from '../src/kernels/reduce.js';
import { reduce } from '../src/kernels/reduce.js';

const fuzz = process.env.CHAINRULE_FUZZ === '1';
const runs = (n: number) => ({ numRuns: fuzz ? n * 10 : n, seed: fuzz ? Date.now() : 11 });

const views = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
} as const;
type DtypeName = keyof typeof views;

function filled(dtype: DtypeName, length: number, seed: number): TypedArray {
  const rng = new Rng(seed);
  const out = new views[dtype](length);
  for (let i = 0; i < length; i++) out[i] = dtype === 'int32' ? rng.int(9) - 4 : rng.normal();
  return out;
}

/** The row-major multi-index of flat position `flat` in `shape`. */
function unravel(flat: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** The flat position in `shape` that broadcasting reads for output index `idx` (NumPy rules, spelled out). */
function broadcastSource(idx: readonly number[], shape: Shape): number {
  let flat = 0;
  const lead = idx.length - shape.length;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + (shape[d] === 1 ? 0 : idx[lead + d]);
  return flat;
}

const dtypeArb = fc.constantFrom<DtypeName>('float32', 'float64', 'int32');

describe('binaryKernel', () => {
  const sub = binaryKernel('test-sub');
  it('equals the index-by-index definition of broadcasting, every dtype, up to rank 4', () => {
    fc.assert(
      fc.property(
        broadcastableShapes(2, { maxRank: 4, maxDim: 4 }),
        dtypeArb,
        fc.nat(),
        ([sa, sb], dtype, seed) => {
          const outShape = broadcastShapes('test', [sa, sb]);
          const a = filled(dtype, sizeOf(sa), seed);
          const b = filled(dtype, sizeOf(sb), seed + 1);
          const out = sub(a, sa, b, sb, new views[dtype](sizeOf(outShape)), outShape, (x, y) => x - y);
          const expected = new views[dtype](sizeOf(outShape));
          for (let i = 0; i < expected.length; i++) {
            const idx = unravel(i, outShape);
            expected[i] = a[broadcastSource(idx, sa)] - b[broadcastSource(idx, sb)];
          }
          // Exact: both sides round the same single subtraction into the same element type.
          expect([...out]).toEqual([...expected]);
        },
      ),
      runs(300),
    );
  });

  it('handles a row-broadcast bias add and a column broadcast', () => {
    const add = binaryKernel('test-add');
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const bias = Float32Array.of(10, 20, 30);
    const plus = (p: number, q: number) => p + q;
    expect([...add(x, [2, 3], bias, [3], new Float32Array(6), [2, 3], plus)]).toEqual([
      11, 22, 33, 14, 25, 36,
    ]);
    const col = Float32Array.of(100, 200);
    expect([...add(x, [2, 3], col, [2, 1], new Float32Array(6), [2, 3], plus)]).toEqual([
      101, 102, 103, 204, 205, 206,
    ]);
  });
});

/** relu and the step function as the ops define them: NaN passes through, H(0) = 0. */
const relu = (v: number) => (v > 0 ? v : v === v ? 0 : v);
const heaviside = (v: number) => (v > 0 ? 1 : v === v ? 0 : v);

describe('SIMD arithmetic', () => {
  const ops = [
    ['add', (x: number, y: number) => x + y],
    ['sub', (x: number, y: number) => x - y],
    ['mul', (x: number, y: number) => x * y],
    ['div', (x: number, y: number) => x / y],
    ['addRelu', (x: number, y: number) => relu(x + y)],
  ] as const;
  // Shapes whose outputs are large enough for WebAssembly: equal, scalar on either side, row and column
  // broadcasts, with odd lengths so that the scalar tail after the vectors runs too.
  const rows = 67;
  const cols = Math.ceil(SIMD_MIN_ELEMENTS / rows) + 3;
  const cases: [Shape, Shape][] = [
    [
      [rows, cols],
      [rows, cols],
    ],
    [[rows, cols], []],
    [[], [rows, cols]],
    [[rows, cols], [cols]],
    [[cols], [rows, cols]],
    [
      [rows, cols],
      [rows, 1],
    ],
    [
      [rows, 1],
      [rows, cols],
    ],
  ];
  it('gives bit for bit the TypeScript loops, NaN, infinities and signed zeros included', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [name, fn] of ops) {
        const fast = binaryKernel(`test-simd-${name}`, name);
        const plain = binaryKernel(`test-plain-${name}`);
        for (const [sa, sb] of cases) {
          const outShape = broadcastShapes('test', [sa, sb]);
          const a = filled(dtype, sizeOf(sa), 1);
          const b = filled(dtype, sizeOf(sb), 2);
          const specials = [NaN, Infinity, -Infinity, 0, -0];
          specials.forEach((v, i) => {
            if (a.length > 5) a[i * 7] = v;
            if (b.length > 5) b[i * 11] = v;
          });
          const got = fast(a, sa, b, sb, new views[dtype](sizeOf(outShape)), outShape, fn);
          const want = plain(a, sa, b, sb, new views[dtype](sizeOf(outShape)), outShape, fn);
          // Object.is-level equality: the four operations round once in both (relu after the sum is exact),
          // so every bit must agree.
          expect(got).toEqual(want);
          for (let i = 0; i < got.length; i++)
            if (Object.is(got[i], -0)) expect(Object.is(want[i], -0)).toBe(true);
        }
      }
    }
  });
});

describe('SIMD sqrt, neg, relu and step', () => {
  it('give bit for bit the TypeScript loops (odd length, negatives, NaN, infinities, signed zeros)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [name, fn] of [
        ['sqrt', Math.sqrt],
        ['neg', (v: number) => -v],
        ['relu', relu],
        ['step', heaviside],
      ] as const) {
        const x = filled(dtype, SIMD_MIN_ELEMENTS + 3, 4);
        [NaN, Infinity, -Infinity, 0, -0, 2].forEach((v, i) => (x[i * 13] = v));
        const got = unaryKernel(`test-simd-${name}`, name)(x, new views[dtype](x.length), fn);
        const want = unaryKernel(`test-plain-${name}`)(x, new views[dtype](x.length), fn);
        // Correctly rounded (sqrt) or exact (the others) in both: every value must agree, -0 included.
        expect(got).toEqual(want);
        for (let i = 0; i < got.length; i++) expect(Object.is(got[i], -0)).toBe(Object.is(want[i], -0));
      }
    }
  });
});

describe('planBroadcast', () => {
  it('merges a bias add into rows × columns and equal shapes into one loop', () => {
    expect(planBroadcast([[64, 128], [128]], [64, 128])).toEqual({
      shape: [64, 128],
      strides: [
        [128, 1],
        [0, 1],
      ],
    });
    expect(
      planBroadcast(
        [
          [2, 3, 4],
          [2, 3, 4],
        ],
        [2, 3, 4],
      ),
    ).toEqual({ shape: [24], strides: [[1], [1]] });
  });
});

describe('unaryKernel', () => {
  it('applies its function per element for every dtype', () => {
    const double = unaryKernel('test-double');
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const x = filled(dtype, 17, 3);
      const out = double(x, new views[dtype](17), (v) => 2 * v);
      expect([...out]).toEqual([...x].map((v) => 2 * v));
    }
  });
});

/** The definition of a reduction: every element folded into the output cell its kept indices name. */
function reduceByDefinition(
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  kind: ReduceKind,
): number[] {
  const keptShape = shape.filter((_, d) => !axes.includes(d));
  const out = new Array<number>(sizeOf(keptShape)).fill(
    kind === 'sum' ? 0 : kind === 'max' ? -Infinity : Infinity,
  );
  for (let i = 0; i < x.length; i++) {
    const idx = unravel(i, shape).filter((_, d) => !axes.includes(d));
    let o = 0;
    for (let d = 0; d < keptShape.length; d++) o = o * keptShape[d] + idx[d];
    const v = x[i];
    if (kind === 'sum') out[o] += v;
    else if (kind === 'max') out[o] = v > out[o] || Number.isNaN(v) ? v : out[o];
    else out[o] = v < out[o] || Number.isNaN(v) ? v : out[o];
  }
  return out;
}

describe('reduce', () => {
  it('equals the definition for every axis subset, kind and dtype', () => {
    const axesOf = (s: Shape) => fc.subarray(s.map((_, i) => i));
    fc.assert(
      fc.property(
        shapeArb({ maxRank: 4, maxDim: 4 }).chain((s) => fc.tuple(fc.constant(s), axesOf(s))),
        fc.constantFrom<ReduceKind>('sum', 'max', 'min'),
        dtypeArb,
        fc.nat(),
        ([s, axes], kind, dtype, seed) => {
          const x = filled(dtype, sizeOf(s), seed);
          const keep = sizeOf(s.filter((_, d) => !axes.includes(d)));
          const out = reduce(x, s, axes, kind, new views[dtype](keep));
          const expected = reduceByDefinition(x, s, axes, kind);
          for (let i = 0; i < keep; i++) {
            // Sums may be added in another order (and float32 ones accumulated in double): allow 1e-5 relative to
            // the sum of magnitudes (at most 256 terms of |x| < 6 here); max and min are exact.
            const magnitude = reduceByDefinition(x.map(Math.abs), s, axes, 'sum')[i];
            const tolerance = kind === 'sum' ? 1e-5 * (1 + magnitude) : 0;
            const stored = new views[dtype]([expected[i]])[0];
            expect(Math.abs(out[i] - stored)).toBeLessThanOrEqual(tolerance);
          }
        },
      ),
      runs(300),
    );
  });

  it('sums large float blocks in WebAssembly bit for bit as the loop does (row by row, rounding each addition)', () => {
    // Blocks of at least SIMD_MIN_ELEMENTS: a bias gradient, column tails (inner % 4), several outer blocks.
    const blocks = [
      [1, 64, 128],
      [3, 40, 37],
      [2, 1030, 5],
      [1, 4096, 4],
    ] as const;
    for (const dtype of ['float32', 'float64'] as const) {
      const round = dtype === 'float32' ? Math.fround : (v: number) => v;
      for (const [outer, rows, inner] of blocks) {
        const x = filled(dtype, outer * rows * inner, 9);
        [NaN, Infinity, -Infinity].forEach((v, i) => (x[(i + 1) * 3 * inner + 1 + i] = v));
        for (let r = 0; r < rows; r++) x[r * inner] = -0; // a column of -0 sums to +0, as 0 + -0 does
        expect(x.length).toBeGreaterThanOrEqual(SIMD_MIN_ELEMENTS);
        const out = reduce(x, [outer, rows, inner], [1], 'sum', new views[dtype](outer * inner));
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            let acc = 0;
            for (let r = 0; r < rows; r++) acc = round(acc + x[(o * rows + r) * inner + i]);
            expect(Object.is(out[o * inner + i], acc)).toBe(true);
          }
        }
      }
    }
  });

  it('sums a batch into a bias gradient (the contiguous fast path) and propagates NaN in max', () => {
    const g = Float32Array.of(1, 2, 3, 4, 5, 6);
    expect([...reduce(g, [2, 3], [0], 'sum', new Float32Array(3))]).toEqual([5, 7, 9]);
    expect([...reduce(g, [2, 3], [1], 'sum', new Float32Array(2))]).toEqual([6, 15]);
    const withNaN = Float64Array.of(1, NaN, 3, 4);
    expect([...reduce(withNaN, [2, 2], [1], 'max', new Float64Array(2))]).toEqual([NaN, 4]);
  });
});
