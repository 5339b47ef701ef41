/**
 * Reductions and normalisations over axes: sum, max, min, logSumExp, softmax, logSoftmax.
 */
import type { Shape } from '../tensor/shape.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { reduce } from '../kernels/reduce.js';
import { logSoftmaxAlong, softmaxAlong } from '../kernels/softmax.js';
import { binaryKernel } from '../kernels/elementwise.js';
import type { OpDef } from './types.js';
import { broadcastTo, div, equal, exp, mul, reshape, sub, sum } from './functions.js';

/** Attributes of the reductions: sorted unique axes, and whether reduced axes stay as size 1. */
export interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

/** Attributes of softmax and logSoftmax: one axis, already non-negative. */
export interface AxisAttrs {
  readonly axis: number;
}

function reducedShape(shape: Shape, { axes, keepDims }: ReduceAttrs): Shape {
  if (keepDims) return shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return shape.filter((_, i) => !axes.includes(i));
}

/** Re-inserts reduced axes as size 1 and broadcasts back to `shape`: the adjoint of a reduction's shape change. */
export function expandReduced(t: Tensor, shape: Shape, { axes }: ReduceAttrs): Tensor {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return broadcastTo(reshape(t, kept), shape);
}

const describeReduce = ({ axes, keepDims }: ReduceAttrs): string =>
  `axes=[${axes.join(',')}]${keepDims ? ', keepDims' : ''}`;

export const sumOp: OpDef<ReduceAttrs> = {
  name: 'sum',
  arity: 1,
  formula: { kind: 'call', name: 'Σ' },
  describeAttrs: describeReduce,
  shape: ([s], attrs) => reducedShape(s, attrs),
  forward: ([x], { axes }, out) => reduce(x.data, x.shape, axes, 'sum', out),
  vjp: ({ g, inputs: [x], attrs }) => [expandReduced(g, x.shape, attrs)],
  jvp: ({ tangents: [t], attrs }) => (t ? sum(t, attrs.axes, attrs.keepDims) : null),
};

/** Weights that share a max/min reduction's gradient equally among tied extreme entries. */
function extremeWeights(x: Tensor, out: Tensor, attrs: ReduceAttrs): Tensor {
  const mask = equal(x, expandReduced(out, x.shape, attrs));
  return div(mask, expandReduced(sum(mask, attrs.axes, attrs.keepDims), x.shape, attrs));
}

function extremeOp(name: 'max' | 'min'): OpDef<ReduceAttrs> {
  return {
    name,
    arity: 1,
    formula: { kind: 'call', name },
    describeAttrs: describeReduce,
    kinks: [
      {
        input: 0,
        at: 'tie',
        convention: `tied ${name}ima share the gradient equally (as PyTorch's amax/amin)`,
      },
    ],
    shape: ([s], attrs) => {
      const empty = attrs.axes.find((a) => s[a] === 0);
      if (empty !== undefined) {
        throw new ShapeError(
          name,
          `cannot take the ${name} over axis ${empty} of size 0 (shape ${formatShape(s)})`,
          'the reduced axes must not be empty',
        );
      }
      return reducedShape(s, attrs);
    },
    forward: ([x], { axes }, out) => reduce(x.data, x.shape, axes, name, out),
    vjp: ({ g, inputs: [x], out, attrs }) => [
      mul(expandReduced(g, x.shape, attrs), extremeWeights(x, out, attrs)),
    ],
    jvp: ({ tangents: [t], inputs: [x], out, attrs }) =>
      t ? sum(mul(t, extremeWeights(x, out, attrs)), attrs.axes, attrs.keepDims) : null,
  };
}

export const maxOp = extremeOp('max');
export const minOp = extremeOp('min');

const subtract = binaryKernel('shift');
const minus = (a: number, b: number): number => a - b;

/**
 * log Σ exp(x − max) over `axes` and the maxima (non-finite maxima count as 0, so exp never overflows), in
 * float64; logSumExp is their sum.
 */
function shiftedLogSumExp(x: Tensor, axes: readonly number[]): { lse: Float64Array; max: Float64Array } {
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const max = reduce(x.data, x.shape, axes, 'max', new Float64Array(sizeOf(keptShape))) as Float64Array;
  for (let i = 0; i < max.length; i++) if (!Number.isFinite(max[i])) max[i] = 0;
  const exps = new Float64Array(x.size);
  subtract(x.data, x.shape, max, keptShape, exps, x.shape, minus);
  // A loop, not exps.map(Math.exp): map calls its callback through the builtin, several times slower.
  for (let i = 0; i < exps.length; i++) exps[i] = Math.exp(exps[i]);
  const lse = reduce(exps, x.shape, axes, 'sum', new Float64Array(max.length)) as Float64Array;
  for (let i = 0; i < lse.length; i++) lse[i] = Math.log(lse[i]);
  return { lse, max };
}

export const logSumExpOp: OpDef<ReduceAttrs> = {
  name: 'logSumExp',
  arity: 1,
  formula: { kind: 'call', name: 'logSumExp' },
  describeAttrs: describeReduce,
  shape: ([s], attrs) => reducedShape(s, attrs),
  forward: ([x], { axes }, out) => {
    const { lse, max } = shiftedLogSumExp(x, axes);
    for (let i = 0; i < out.length; i++) out[i] = lse[i] + max[i];
    return out;
  },
  vjp: ({ g, inputs: [x], out, attrs }) => [
    mul(expandReduced(g, x.shape, attrs), exp(sub(x, expandReduced(out, x.shape, attrs)))),
  ],
  jvp: ({ tangents: [t], inputs: [x], out, attrs }) =>
    t ? sum(mul(t, exp(sub(x, expandReduced(out, x.shape, attrs)))), attrs.axes, attrs.keepDims) : null,
};

export const softmaxOp: OpDef<AxisAttrs> = {
  name: 'softmax',
  arity: 1,
  formula: { kind: 'call', name: 'softmax' },
  describeAttrs: ({ axis }) => `axis=${axis}`,
  shape: ([s]) => s,
  forward: ([x], { axis }, out) => softmaxAlong(x.data, x.shape, axis, out),
  vjp: ({ g, out, attrs: { axis } }) => [mul(out, sub(g, sum(mul(g, out), [axis], true)))],
  jvp: ({ tangents: [t], out, attrs: { axis } }) =>
    t ? mul(out, sub(t, sum(mul(t, out), [axis], true))) : null,
};

export const logSoftmaxOp: OpDef<AxisAttrs> = {
  name: 'logSoftmax',
  arity: 1,
  formula: { kind: 'call', name: 'logSoftmax' },
  describeAttrs: ({ axis }) => `axis=${axis}`,
  shape: ([s]) => s,
  forward: ([x], { axis }, out) => logSoftmaxAlong(x.data, x.shape, axis, out),
  vjp: ({ g, out, attrs: { axis } }) => [sub(g, mul(exp(out), sum(g, [axis], true)))],
  jvp: ({ tangents: [t], out, attrs: { axis } }) => (t ? sub(t, sum(mul(exp(out), t), [axis], true)) : null),
};
