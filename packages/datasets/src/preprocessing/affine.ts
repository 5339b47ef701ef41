import type { Tensor } from '@chainrule/autograd';
import { DTypeError, DataError, ShapeError, allocate, formatShape, tensor } from '@chainrule/autograd';
import type { MatrixView } from '../rows.js';
import { asMatrix, checkFinite } from '../rows.js';

/** A per-column affine map: forward y = (x − center) / scale + offset. */
export interface ColumnAffine {
  readonly center: Float64Array;
  readonly scale: Float64Array;
  readonly offset: number;
}

/** The training matrix of a scaler: checks the dtype, at least one row and finite values. */
export function fitMatrix(where: string, x: Tensor): MatrixView {
  checkFloat(where, x);
  const m = asMatrix(where, x);
  if (m.rows === 0) throw new DataError(where, 'cannot fit on 0 rows', 'pass the training rows');
  checkFinite(where, m, 'remove or impute missing values before fitting');
  return m;
}

/** Applies the map (or its inverse) to every row; the result keeps x's shape and float dtype. */
export function applyAffine(where: string, x: Tensor, map: ColumnAffine, inverse: boolean): Tensor {
  checkFloat(where, x);
  const { cols, data } = asMatrix(where, x);
  if (cols !== map.center.length) {
    throw new ShapeError(
      where,
      `the scaler was fitted on ${map.center.length} column(s) but x has shape ${formatShape(x.shape)}`,
      'transform data with the same features, in the same order, as the training data',
    );
  }
  const out = allocate(x.dtype, data.length, false); // every element is written below
  for (let i = 0; i < data.length; i++) {
    const j = i % cols;
    out[i] = inverse
      ? (data[i] - map.offset) * map.scale[j] + map.center[j]
      : (data[i] - map.center[j]) / map.scale[j] + map.offset;
  }
  return tensor(out, { shape: x.shape });
}

function checkFloat(where: string, x: Tensor): void {
  if (x.dtype === 'int32') {
    throw new DTypeError(
      where,
      'got an int32 tensor',
      "scalers work on floats: cast first with x.cast('float64')",
    );
  }
}
