/**
 * Data-movement kernels: strided copies for permute, broadcast, slice, pad, concat; gather and scatter-add.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { broadcastStrides, sizeOf, stridesOf } from '../tensor/shape.js';

/**
 * Walks `shape` in row-major order, reading src at `srcOffset + Σ idx·srcStrides` and writing
 * dst at `dstOffset + Σ idx·dstStrides`. With `accumulate`, adds instead of overwriting.
 */
export function stridedCopy(
  src: TypedArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: Shape,
  accumulate = false,
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const nd = shape.length;
  const idx = new Int32Array(nd);
  let s = srcOffset;
  let d = dstOffset;
  for (let i = 0; i < n; i++) {
    if (accumulate) dst[d] += src[s];
    else dst[d] = src[s];
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]++;
      s += srcStrides[k];
      d += dstStrides[k];
      if (idx[k] < shape[k]) break;
      s -= srcStrides[k] * shape[k];
      d -= dstStrides[k] * shape[k];
      idx[k] = 0;
    }
  }
}

/** Output of permuting the axes of x by `perm` (out axis i = in axis perm[i]). */
export function permute(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): TypedArray {
  const strides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  stridedCopy(
    x,
    0,
    perm.map((p) => strides[p]),
    out,
    0,
    stridesOf(outShape),
    outShape,
  );
  return out;
}

/** Materialises x broadcast to `target`. */
export function broadcastTo(x: TypedArray, shape: Shape, target: Shape, out: TypedArray): TypedArray {
  stridedCopy(x, 0, broadcastStrides(shape, target), out, 0, stridesOf(target), target);
  return out;
}

/** The block of x starting at `begin` with extent `size`. */
export function slice(
  x: TypedArray,
  shape: Shape,
  begin: readonly number[],
  size: Shape,
  out: TypedArray,
): TypedArray {
  const strides = stridesOf(shape);
  let offset = 0;
  for (let i = 0; i < begin.length; i++) offset += begin[i] * strides[i];
  stridedCopy(x, offset, strides, out, 0, stridesOf(size), size);
  return out;
}

/** Zero-pads x with `before[i]` leading entries on axis i; `out` is zero-filled with the padded shape. */
export function pad(
  x: TypedArray,
  shape: Shape,
  before: readonly number[],
  outShape: Shape,
  out: TypedArray,
): TypedArray {
  const strides = stridesOf(outShape);
  let offset = 0;
  for (let i = 0; i < before.length; i++) offset += before[i] * strides[i];
  stridedCopy(x, 0, stridesOf(shape), out, offset, strides, shape);
  return out;
}

/** Joins tensors along `axis`. */
export function concat(
  parts: readonly { data: TypedArray; shape: Shape }[],
  axis: number,
  outShape: Shape,
  out: TypedArray,
): TypedArray {
  const strides = stridesOf(outShape);
  let offset = 0;
  for (const p of parts) {
    stridedCopy(p.data, 0, stridesOf(p.shape), out, offset * strides[axis], strides, p.shape);
    offset += p.shape[axis];
  }
  return out;
}

/** out[..., i, ...] = x[..., indices[i], ...] along `axis` (indices may have any shape; it replaces the axis). */
export function gather(
  x: TypedArray,
  shape: Shape,
  indices: TypedArray,
  axis: number,
  out: TypedArray,
): TypedArray {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const dim = shape[axis];
  const m = indices.length;
  if (inner >= ROW_COPY_MIN) {
    // Rows: one native copy each, into a plain array first when `out` is shared memory (a training batch in
    // the kernels' WebAssembly memory), whose copies run with relaxed atomics and cost more per call.
    const target = out.buffer instanceof SharedArrayBuffer ? stagingFor(out) : out;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        const src = (o * dim + indices[j]) * inner;
        target.set(x.subarray(src, src + inner) as never, (o * m + j) * inner);
      }
    }
    if (target !== out) out.set(target.subarray(0, out.length) as never);
    return out;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * dim + indices[j]) * inner;
      const dst = (o * m + j) * inner;
      for (let k = 0; k < inner; k++) out[dst + k] = x[src + k];
    }
  }
  return out;
}

/**
 * Rows at least this long are gathered with a native copy per row (gathering 64 MNIST images of 784 pixels
 * took ~90 µs element by element into WebAssembly memory, ~45 µs row by row through a plain array).
 */
const ROW_COPY_MIN = 16;

/** Plain arrays to gather into before one copy to shared memory, one per element type, grown as needed. */
const staging = new Map<unknown, TypedArray>();

function stagingFor(out: TypedArray): TypedArray {
  const kind = out.constructor;
  let array = staging.get(kind);
  if (!array || array.length < out.length) {
    array = new (kind as new (length: number) => TypedArray)(out.length);
    staging.set(kind, array);
  }
  return array;
}

/** The adjoint of gather: out (zero-filled, `dim` long on `axis`) += g scattered by `indices`. */
export function scatterAdd(
  g: TypedArray,
  indices: TypedArray,
  outShape: Shape,
  axis: number,
  out: TypedArray,
): TypedArray {
  const outer = sizeOf(outShape.slice(0, axis));
  const inner = sizeOf(outShape.slice(axis + 1));
  const dim = outShape[axis];
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * dim + indices[j]) * inner;
      const src = (o * m + j) * inner;
      for (let k = 0; k < inner; k++) out[dst + k] += g[src + k];
    }
  }
  return out;
}
