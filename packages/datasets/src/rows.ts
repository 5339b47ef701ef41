import type { Tensor, TypedArray } from '@chainrule/autograd';
import { DataError, ShapeError, allocate, formatShape, tensor } from '@chainrule/autograd';

/** The number of rows (first dimension) of a tensor with at least one dimension. */
export function rowCount(where: string, t: Tensor): number {
  if (t.ndim === 0) {
    throw new ShapeError(where, 'got a 0-d tensor, which has no rows', 'pass a tensor of shape [N, ...]');
  }
  return t.shape[0];
}

/** Checks that `x` and `y` have the same number of rows (samples) and returns it. */
export function sameRowCount(where: string, x: Tensor, y: Tensor): number {
  const n = rowCount(where, x);
  if (rowCount(where, y) !== n) {
    throw new ShapeError(
      where,
      `x has ${n} rows (shape ${formatShape(x.shape)}) but y has ${y.shape[0]} (shape ${formatShape(y.shape)})`,
      'x and y must hold one row per sample, in the same order',
    );
  }
  return n;
}

/** A new constant tensor holding the rows `index[0], index[1], ...` of `t`, in that order. */
export function takeRows(t: Tensor, index: ArrayLike<number>): Tensor {
  const n = rowCount('takeRows', t);
  const rowSize = n === 0 ? 0 : t.size / n;
  const out = allocate(t.dtype, index.length * rowSize, false); // every element is written below
  for (let k = 0; k < index.length; k++) {
    const i = index[k];
    if (rowSize === 1) out[k] = t.data[i];
    else out.set(t.data.subarray(i * rowSize, (i + 1) * rowSize), k * rowSize);
  }
  return tensor(out, { shape: [index.length, ...t.shape.slice(1)] });
}

/** A 1-D or 2-D tensor read as a matrix of `rows` × `cols` (a 1-D tensor is one column). */
export interface MatrixView {
  readonly rows: number;
  readonly cols: number;
  readonly data: TypedArray;
}

/** Reads a 1-D or 2-D tensor as a row-major matrix; other ranks are a ShapeError naming `where`. */
export function asMatrix(where: string, x: Tensor): MatrixView {
  if (x.ndim === 1) return { rows: x.shape[0], cols: 1, data: x.data };
  if (x.ndim === 2) return { rows: x.shape[0], cols: x.shape[1], data: x.data };
  throw new ShapeError(
    where,
    `expected a 1-D [N] or 2-D [N, features] tensor, got shape ${formatShape(x.shape)}`,
    'reshape to [N, features] first (e.g. flatten images with reshape)',
  );
}

/** Column `j` of a matrix view as float64 values. */
export function columnValues(m: MatrixView, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}

/** Throws a DataError naming `where` and the first non-finite entry, if any. */
export function checkFinite(where: string, m: MatrixView, hint: string): void {
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i])) {
      throw new DataError(
        where,
        `value ${m.data[i]} at row ${Math.floor(i / m.cols)}, column ${i % m.cols} is not finite`,
        hint,
      );
    }
  }
}
