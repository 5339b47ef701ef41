/**
 * Elementwise kernels on typed arrays: no graph knowledge, no allocation beyond the output.
 *
 * Speed comes from three things. Each kernel object (`unaryKernel()`, `binaryKernel()`) owns specialized
 * copies of its loop per element type (`specialize.ts`), and an op makes its own kernel object: every loop
 * then sees one array type and one scalar function, so V8 inlines the function into a monomorphic loop.
 * Broadcasts are planned into at most two strided loops (`planBroadcast`), so a row-broadcast bias add is as
 * cheap as an equal-shape add. And large float add, sub, mul, div, sqrt and neg run in WebAssembly SIMD.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { broadcastStrides, sameShape, sizeOf } from '../tensor/shape.js';
import { planBroadcast } from './broadcast.js';
import { perDtype, pick } from './specialize.js';
import type { BinaryArithmetic, UnaryArithmetic } from './wasm/instructions.js';
import type { ArithmeticRunner } from './wasm/arithmeticRunner.js';
import { wasmArithmetic } from './wasm/arithmeticRunner.js';

/** A scalar function applied elementwise. */
export type UnaryFn = (v: number) => number;
/** A scalar function of two operands applied elementwise. */
export type BinaryFn = (x: number, y: number) => number;

/** Outputs with fewer elements than this stay in the TypeScript loops (the copy into WebAssembly costs more). */
export const SIMD_MIN_ELEMENTS = 4096;

function unaryLoop(x: TypedArray, out: TypedArray, fn: UnaryFn): void {
  for (let i = 0; i < out.length; i++) out[i] = fn(x[i]);
}

/** out[i] = fn(x[i]). Make one per op (see the module comment). */
export type UnaryKernel = (x: TypedArray, out: TypedArray, fn: UnaryFn) => TypedArray;

/**
 * A unary map with its own loop per element type, labelled (e.g. by the op's name) for profiles. With `simd`,
 * large float arrays run through the WebAssembly SIMD version of that operation (correctly rounded in both, so
 * the results are identical).
 */
export function unaryKernel(label: string, simd?: UnaryArithmetic): UnaryKernel {
  const loops = perDtype(unaryLoop, label);
  return (x, out, fn) => {
    const fast =
      simd && out.length >= SIMD_MIN_ELEMENTS && !(out instanceof Int32Array) ? wasmArithmetic() : null;
    if (fast && out instanceof Float32Array && x instanceof Float32Array) fast.unaryFloat32(simd!, x, out);
    else if (fast && out instanceof Float64Array && x instanceof Float64Array)
      fast.unaryFloat64(simd!, x, out);
    else pick(loops, out)(x, out, fn);
    return out;
  };
}

/**
 * out[o + r·cols + j] = fn(a[ia + r·sa0 + j·sa1], b[ib + r·sb0 + j·sb1]) for r < rows, j < cols: the two
 * innermost loops of a planned broadcast.
 */
function binaryLoop(
  a: TypedArray,
  ia: number,
  sa0: number,
  sa1: number,
  b: TypedArray,
  ib: number,
  sb0: number,
  sb1: number,
  out: TypedArray,
  o: number,
  rows: number,
  cols: number,
  fn: BinaryFn,
): void {
  for (let r = 0; r < rows; r++) {
    let pa = ia + r * sa0;
    let pb = ib + r * sb0;
    const end = o + cols;
    for (let q = o; q < end; q++) {
      out[q] = fn(a[pa], b[pb]);
      pa += sa1;
      pb += sb1;
    }
    o = end;
  }
}

/**
 * out = fn(a, b) with NumPy broadcasting of `aShape` and `bShape` to `outShape`. Make one per op (see the
 * module comment).
 */
export type BinaryKernel = (
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
  fn: BinaryFn,
) => TypedArray;

/**
 * A broadcasting binary map with its own loops per element type, labelled (e.g. by the op's name). With
 * `simd`, large float operands run through the WebAssembly SIMD version of that arithmetic instead: the four
 * operations round once in both, so the results are identical.
 */
export function binaryKernel(label: string, simd?: BinaryArithmetic): BinaryKernel {
  const loops = perDtype(binaryLoop, label);
  return (a, aShape, b, bShape, out, outShape, fn) => {
    const n = out.length;
    if (n === 0) return out;
    const loop = pick(loops, out);
    const fast = simd && n >= SIMD_MIN_ELEMENTS && !(out instanceof Int32Array) ? wasmArithmetic() : null;
    const vectors =
      fast && ((out instanceof Float32Array ? fast.float32 : fast.float64) as ArithmeticRunner<TypedArray>);
    // The common cases need no plan: equal shapes and a one-element operand.
    const block: Block = { simd, vectors, loop, fn, a, b, out };
    if (sameShape(aShape, bShape)) runBlock(block, 0, 0, 1, 0, 0, 1, 0, 1, n);
    else if (b.length === 1 && a.length === n) runBlock(block, 0, 0, 1, 0, 0, 0, 0, 1, n);
    else if (a.length === 1 && b.length === n) runBlock(block, 0, 0, 0, 0, 0, 1, 0, 1, n);
    else {
      const { shape, strides } = planBroadcast([aShape, bShape], outShape);
      const [sa, sb] = strides;
      const rank = shape.length;
      const cols = rank ? shape[rank - 1] : 1;
      const rows = rank > 1 ? shape[rank - 2] : 1;
      const [sa0, sa1, sb0, sb1] = [
        sa[rank - 2] ?? 0,
        sa[rank - 1] ?? 0,
        sb[rank - 2] ?? 0,
        sb[rank - 1] ?? 0,
      ];
      const outer = shape.slice(0, Math.max(0, rank - 2));
      if (outer.length === 0) runBlock(block, 0, sa0, sa1, 0, sb0, sb1, 0, rows, cols);
      else
        forEachOuter(outer, [sa, sb], rows * cols, ([ia, ib], o) =>
          loop(a, ia, sa0, sa1, b, ib, sb0, sb1, out, o, rows, cols, fn),
        );
    }
    return out;
  };
}

/** What one binary kernel call runs its blocks with. */
interface Block {
  readonly simd: BinaryArithmetic | undefined;
  readonly vectors: ArithmeticRunner<TypedArray> | null | undefined | false;
  readonly loop: typeof binaryLoop;
  readonly fn: BinaryFn;
  readonly a: TypedArray;
  readonly b: TypedArray;
  readonly out: TypedArray;
}

/**
 * One planned block: through SIMD when the innermost strides allow it (contiguous or broadcast), else through
 * the loop. A module-level function, not a closure per call: this runs for every op, scalars included.
 */
function runBlock(
  { simd, vectors, loop, fn, a, b, out }: Block,
  ia: number,
  sa0: number,
  sa1: number,
  ib: number,
  sb0: number,
  sb1: number,
  o: number,
  rows: number,
  cols: number,
): void {
  if (vectors && simd && (sa1 === 1 || sb1 === 1) && sa1 <= 1 && sb1 <= 1)
    vectors(simd, a, ia, sa0, sa1, b, ib, sb0, sb1, out, o, rows, cols);
  else loop(a, ia, sa0, sa1, b, ib, sb0, sb1, out, o, rows, cols, fn);
}

/**
 * Calls `body(offsets, outOffset)` for every index of the outer loops `shape` (row-major), with each operand's
 * offset from its `strides`; the output advances by `block` per call.
 */
function forEachOuter(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  block: number,
  body: (offsets: readonly number[], outOffset: number) => void,
): void {
  const nd = shape.length;
  const count = sizeOf(shape);
  const idx = new Array<number>(nd).fill(0);
  const offsets = strides.map(() => 0);
  for (let t = 0; t < count; t++) {
    body(offsets, t * block);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      for (let i = 0; i < offsets.length; i++) offsets[i] += strides[i][d];
      if (idx[d] < shape[d]) break;
      for (let i = 0; i < offsets.length; i++) offsets[i] -= strides[i][d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** out = cond ? a : b, all three broadcast to `outShape`. */
export function select(
  cond: TypedArray,
  condShape: Shape,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): TypedArray {
  const sc = broadcastStrides(condShape, outShape);
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const nd = outShape.length;
  const idx = new Int32Array(nd);
  let ic = 0;
  let ia = 0;
  let ib = 0;
  const n = sizeOf(outShape);
  for (let i = 0; i < n; i++) {
    out[i] = cond[ic] !== 0 ? a[ia] : b[ib];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      ic += sc[d];
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < outShape[d]) break;
      ic -= sc[d] * outShape[d];
      ia -= sa[d] * outShape[d];
      ib -= sb[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Copies with conversion between typed arrays (float64 → float32 rounds, float → int32 truncates). */
export function convert(x: TypedArray, out: TypedArray): TypedArray {
  if (out instanceof Int32Array) {
    for (let i = 0; i < x.length; i++) out[i] = Math.trunc(x[i]);
  } else {
    out.set(x);
  }
  return out;
}
