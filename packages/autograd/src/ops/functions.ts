/**
 * The function form of every op: `add(a, b)`, `sum(x, 1, true)`, ... Plain numbers are weakly typed and
 * take the dtype of the tensor they meet. Tensor methods (`a.add(b)`) call these.
 */
import type { DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { formatShape, normalizeAxes, normalizeAxis, sameShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import { eye } from '../tensor/create.js';
import { ShapeError } from '../errors.js';
import type { TensorLike } from './apply.js';
import { apply, applyBinary, applyUnary } from './apply.js';
import * as E from './elementwise.js';
import * as R from './reduce.js';
import * as L from './layout.js';
import { matmulOp } from './linalg.js';
import { softmaxCrossEntropyOp } from './crossEntropy.js';

/** a + b (broadcasting). */
export const add = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.addOp, a, b, undefined);
/** a − b (broadcasting). */
export const sub = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.subOp, a, b, undefined);
/** a · b elementwise (broadcasting). */
export const mul = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.mulOp, a, b, undefined);
/** a / b elementwise (broadcasting). */
export const div = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.divOp, a, b, undefined);
/** a ^ b elementwise (broadcasting); the gradient in b needs a > 0. */
export const pow = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.powOp, a, b, undefined);
/** Elementwise maximum; ties split the gradient evenly. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.maximumOp, a, b, undefined);
/** Elementwise minimum; ties split the gradient evenly. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.minimumOp, a, b, undefined);
/** 1 where a > b, else 0 (no gradient). */
export const greater = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.greaterOp, a, b, undefined);
/** 1 where a ≥ b, else 0 (no gradient). */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor =>
  applyBinary(E.greaterEqualOp, a, b, undefined);
/** 1 where a < b, else 0 (no gradient). */
export const less = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.lessOp, a, b, undefined);
/** 1 where a ≤ b, else 0 (no gradient). */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor =>
  applyBinary(E.lessEqualOp, a, b, undefined);
/** 1 where a = b, else 0 (no gradient). */
export const equal = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.equalOp, a, b, undefined);
/** 1 where both are non-zero, else 0 (no gradient). */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor =>
  applyBinary(E.logicalAndOp, a, b, undefined);

/** −x. */
export const neg = (x: TensorLike): Tensor => applyUnary(E.negOp, x, undefined);
/** A new node with the same value: marks a point in the graph (used to differentiate at nested levels). */
export const identity = (x: TensorLike): Tensor => applyUnary(E.identityOp, x, undefined);
/** x². */
export const square = (x: TensorLike): Tensor => applyUnary(E.squareOp, x, undefined);
/** √x. */
export const sqrt = (x: TensorLike): Tensor => applyUnary(E.sqrtOp, x, undefined);
/** eˣ. */
export const exp = (x: TensorLike): Tensor => applyUnary(E.expOp, x, undefined);
/** Natural logarithm. */
export const log = (x: TensorLike): Tensor => applyUnary(E.logOp, x, undefined);
/** |x|; abs'(0) = 0. */
export const abs = (x: TensorLike): Tensor => applyUnary(E.absOp, x, undefined);
/** −1, 0 or 1 (no gradient). */
export const sign = (x: TensorLike): Tensor => applyUnary(E.signOp, x, undefined);
/** sin x. */
export const sin = (x: TensorLike): Tensor => applyUnary(E.sinOp, x, undefined);
/** cos x. */
export const cos = (x: TensorLike): Tensor => applyUnary(E.cosOp, x, undefined);
/** tanh x. */
export const tanh = (x: TensorLike): Tensor => applyUnary(E.tanhOp, x, undefined);
/** The logistic function 1 / (1 + e⁻ˣ), computed without overflow. */
export const sigmoid = (x: TensorLike): Tensor => applyUnary(E.sigmoidOp, x, undefined);
/** log(1 + eˣ), computed without overflow. */
export const softplus = (x: TensorLike): Tensor => applyUnary(E.softplusOp, x, undefined);
/** max(0, x); relu'(0) = 0. */
export const relu = (x: TensorLike): Tensor => applyUnary(E.reluOp, x, undefined);
/** relu(a + b) fused into one pass (broadcasting): a dense layer's bias and activation together. */
export const addRelu = (a: TensorLike, b: TensorLike): Tensor => applyBinary(E.addReluOp, a, b, undefined);
/** x for x > 0, αx otherwise (the lecture's max(0.1x, x) is α = 0.1). */
export const leakyRelu = (x: TensorLike, alpha = 0.01): Tensor => applyUnary(E.leakyReluOp, x, { alpha });
/** x for x > 0, α(eˣ − 1) otherwise. */
export const elu = (x: TensorLike, alpha = 1): Tensor => applyUnary(E.eluOp, x, { alpha });
/** Heaviside step: 1 for x > 0, else 0. Its gradient is 0 everywhere (a.e. true; 0 chosen at the jump). */
export const step = (x: TensorLike): Tensor => applyUnary(E.stepOp, x, undefined);
/** Clamps x to [min, max]; the gradient passes where min ≤ x ≤ max. */
export const clip = (x: TensorLike, min: number, max: number): Tensor => {
  if (!(min <= max)) throw new ShapeError('clip', `min ${min} is greater than max ${max}`, 'pass min ≤ max');
  return applyUnary(E.clipOp, x, { min, max });
};
/** cond ? a : b elementwise (cond: any dtype, non-zero is true; broadcasting). */
export const where = (cond: Tensor, a: TensorLike, b: TensorLike): Tensor =>
  apply(E.whereOp, [cond, a, b], undefined);
/** Converts to another dtype; the gradient is cast back (none through int32). */
export const cast = (x: Tensor, dtype: DType): Tensor =>
  x.dtype === dtype ? x : applyUnary(E.castOp, x, { dtype });

/** Axis argument of the reductions: one axis, several, or all when omitted. */
export type Axes = number | readonly number[] | undefined;

function reduceAttrs(op: string, x: Tensor, axis: Axes, keepDims: boolean): R.ReduceAttrs {
  return { axes: normalizeAxes(op, axis, x.ndim), keepDims };
}

/** Sum over `axis` (all axes when omitted). */
export const sum = (x: Tensor, axis?: Axes, keepDims = false): Tensor =>
  apply(R.sumOp, [x], reduceAttrs('sum', x, axis, keepDims));
/** Mean over `axis` (all axes when omitted). */
export const mean = (x: Tensor, axis?: Axes, keepDims = false): Tensor => {
  const attrs = reduceAttrs('mean', x, axis, keepDims);
  const count = attrs.axes.reduce((n, a) => n * x.shape[a], 1);
  return mul(apply(R.sumOp, [x], attrs), 1 / count);
};
/** Maximum over `axis`; tied maxima share the gradient. */
export const max = (x: Tensor, axis?: Axes, keepDims = false): Tensor =>
  apply(R.maxOp, [x], reduceAttrs('max', x, axis, keepDims));
/** Minimum over `axis`; tied minima share the gradient. */
export const min = (x: Tensor, axis?: Axes, keepDims = false): Tensor =>
  apply(R.minOp, [x], reduceAttrs('min', x, axis, keepDims));
/** log Σ exp(x) over `axis`, stable for large |x|. */
export const logSumExp = (x: Tensor, axis?: Axes, keepDims = false): Tensor =>
  apply(R.logSumExpOp, [x], reduceAttrs('logSumExp', x, axis, keepDims));
/** exp(x) / Σ exp(x) along `axis` (default last), stable for large |x|. */
export const softmax = (x: Tensor, axis = -1): Tensor =>
  apply(R.softmaxOp, [x], { axis: normalizeAxis('softmax', axis, x.ndim) });
/** x − logSumExp(x) along `axis` (default last), stable for logits of ±1e4. */
export const logSoftmax = (x: Tensor, axis = -1): Tensor =>
  apply(R.logSoftmaxOp, [x], { axis: normalizeAxis('logSoftmax', axis, x.ndim) });

/**
 * Softmax cross-entropy of each row of `logits` ([...batch, classes]) against int32 class indices `labels`
 * ([...batch]): log Σ exp(logits) − logits[label] per row, as one fused op (mean it for a batch loss).
 */
export const softmaxCrossEntropy = (logits: Tensor, labels: Tensor): Tensor =>
  apply(softmaxCrossEntropyOp, [logits, labels], undefined);

/** op(a)·op(b) with optional transposed operands (last two axes); batch axes broadcast. */
export const matmulT = (a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor =>
  apply(matmulOp, [a, b], { transA, transB });

/** Matrix product with NumPy semantics: 1-D operands are promoted to a row / column and squeezed after. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      'matmul',
      `operands ${formatShape(a.shape)} and ${formatShape(b.shape)} include a scalar`,
      'use mul() for scalar products',
    );
  }
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const c = matmulT(a2, b2, false, false);
  if (a.ndim > 1 && b.ndim > 1) return c;
  const shape = c.shape.filter(
    (_, i) => !((a.ndim === 1 && i === c.ndim - 2) || (b.ndim === 1 && i === c.ndim - 1)),
  );
  return reshape(c, shape);
}

/** Reshapes; one dimension may be -1 and is inferred. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const unknown = shape.indexOf(-1);
  let target = shape;
  if (unknown >= 0) {
    const known = sizeOf(shape.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(
        'reshape',
        `cannot infer -1 in ${formatShape(shape)} for ${x.size} elements of ${formatShape(x.shape)}`,
        'the other dimensions must divide the element count',
      );
    }
    target = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (sameShape(target, x.shape)) return x;
  return apply(L.reshapeOp, [x], { shape: [...target] });
}

/** Reorders axes: out axis i is input axis perm[i]. */
export const permute = (x: Tensor, perm: readonly number[]): Tensor =>
  apply(L.permuteOp, [x], { perm: perm.map((p) => normalizeAxis('permute', p, x.ndim)) });

/** Reverses the axes (NumPy's transpose), or applies `perm` when given. */
export const transpose = (x: Tensor, perm?: readonly number[]): Tensor =>
  permute(x, perm ?? x.shape.map((_, i) => x.ndim - 1 - i));

/** Broadcasts to `shape` (materialised). */
export const broadcastTo = (x: Tensor, shape: Shape): Tensor =>
  sameShape(x.shape, shape) ? x : apply(L.broadcastToOp, [x], { shape: [...shape] });

/** Sums a broadcast gradient back to `shape`: the one helper every broadcasting rule uses. */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(axes.length ? sum(g, axes) : g, shape);
}

/** The block starting at `begin` with extent `size` (-1 means "to the end"). */
export const slice = (x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor => {
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => (size?.[i] === undefined || size[i] === -1 ? d - b[i] : size[i]));
  if (sameShape(s, x.shape)) return x;
  return apply(L.sliceOp, [x], { begin: b, size: s });
};

/** Zero padding: `before[i]` and `after[i]` zeros on axis i. */
export const pad = (x: Tensor, before: readonly number[], after: readonly number[]): Tensor =>
  apply(L.padOp, [x], { before: [...before], after: [...after] });

/** Joins tensors along `axis`. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError('concat', 'no tensors given', 'pass at least one tensor');
  return apply(L.concatOp, xs, { axis: normalizeAxis('concat', axis, xs[0].ndim) });
}

/** Stacks equal-shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError('stack', 'no tensors given', 'pass at least one tensor');
  const a = normalizeAxis('stack', axis, xs[0].ndim + 1);
  return concat(
    xs.map((x) => expandDims(x, a)),
    a,
  );
}

/** Inserts a size-1 axis at `axis`. */
export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('expandDims', axis, x.ndim + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes size-1 axes (all of them, or those listed). */
export function squeeze(x: Tensor, axis?: Axes): Tensor {
  const axes =
    axis === undefined
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes('squeeze', axis, x.ndim);
  for (const a of axes) {
    if (x.shape[a] !== 1)
      throw new ShapeError(
        'squeeze',
        `axis ${a} of ${formatShape(x.shape)} has size ${x.shape[a]}`,
        'only size-1 axes can be squeezed',
      );
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Picks entries along `axis` at int32 `indices` (which may have any shape). */
export const gather = (x: Tensor, indices: Tensor, axis = 0): Tensor =>
  apply(L.gatherOp, [x, indices], { axis: normalizeAxis('gather', axis, x.ndim) });

/**
 * One row per label, 1 at the label's column and 0 elsewhere (`classes` columns): the rows of an identity
 * matrix gathered by the int32 `labels`, so it is an op on the labels (a compiled function recomputes it).
 */
export const oneHot = (labels: Tensor, classes: number, dtype: DType = 'float32'): Tensor =>
  gather(eye(classes, classes, { dtype }), labels, 0);

/** The adjoint of gather: zeros of length `size` on `axis`, with g added at `indices`. */
export const scatterAdd = (g: Tensor, indices: Tensor, axis: number, size: number): Tensor =>
  apply(L.scatterAddOp, [g, indices], { axis, size });

/** A constant of zeros with x's shape and dtype. */
export const zerosLike = (x: Tensor): Tensor =>
  new Tensor(x.shape, x.dtype, allocate(x.dtype, x.size), 'constant', null, undefined);

/** A constant of ones with x's shape and dtype. */
export const onesLike = (x: Tensor): Tensor => {
  const data = allocate(x.dtype, x.size);
  data.fill(1);
  return new Tensor(x.shape, x.dtype, data, 'constant', null, undefined);
};
