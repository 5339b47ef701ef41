/**
 * Data handling shared by fit, evaluate and predict: checks, dtype alignment with the model, row batches.
 */
import type { DType } from '@chainrule/autograd';
import { DataError, ShapeError, Tensor, formatShape, gather, slice, tensor } from '@chainrule/autograd';
import type { Module } from '../module.js';
import type { Batch } from '../types.js';

/** The float dtype of a model's parameters, or undefined for a model without parameters. */
export function modelDType(model: Module): DType | undefined {
  return model.paramSpecs().values().next().value?.dtype;
}

/** x cast to the model's dtype (data sets often come as float64 or uint8-derived float32). */
export function alignInput(model: Module, x: Tensor): Tensor {
  const dtype = modelDType(model);
  return dtype && x.dtype !== dtype ? x.cast(dtype) : x;
}

/** Checks that x and y have the same number of rows and aligns float data with the model's dtype. */
export function alignBatch(where: string, model: Module, data: Batch): Batch {
  if (!(data?.x instanceof Tensor) || !(data.y instanceof Tensor)) {
    throw new DataError(
      where,
      `the data is ${data === null || typeof data !== 'object' ? String(data) : 'missing x or y'}, not { x, y } tensors`,
      'pass { x, y } with one row of y per row of x (e.g. { x: images, y: labels })',
    );
  }
  const { x, y } = data;
  if (x.ndim === 0 || y.ndim === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(
      where,
      `x ${formatShape(x.shape)} and y ${formatShape(y.shape)} must have the same number of rows`,
      'row i of y is the target of row i of x',
    );
  }
  if (x.shape[0] === 0) throw new DataError(where, 'the data set has no rows', 'pass at least one example');
  const dtype = modelDType(model);
  const yAligned = dtype && y.dtype !== 'int32' && y.dtype !== dtype ? y.cast(dtype) : y;
  return { x: alignInput(model, x), y: yAligned };
}

/** Rows [start, start + count) of t. */
export function rowRange(t: Tensor, start: number, count: number): Tensor {
  if (start === 0 && count === t.shape[0]) return t;
  return slice(t, [start], [count]);
}

/** The rows of t listed in `order` (a copy, via gather). */
export function rowsAt(t: Tensor, order: Int32Array): Tensor {
  return gather(t, tensor(order, { shape: [order.length] }), 0);
}

/** Splits off the last `fraction` of the rows as validation data (as Keras, before any shuffling). */
export function splitValidation(
  where: string,
  data: Batch,
  fraction: number,
): { train: Batch; validation: Batch } {
  const n = data.x.shape[0];
  const trainRows = Math.floor(n * (1 - fraction));
  if (!(fraction > 0 && fraction < 1) || trainRows === 0 || trainRows === n) {
    throw new DataError(
      where,
      `validationSplit ${fraction} of ${n} rows leaves ${trainRows} for training and ${n - trainRows} for validation`,
      'choose a fraction in (0, 1) that leaves rows on both sides',
    );
  }
  const part = (start: number, count: number): Batch => ({
    x: rowRange(data.x, start, count),
    y: rowRange(data.y, start, count),
  });
  return { train: part(0, trainRows), validation: part(trainRows, n - trainRows) };
}
