/**
 * Shape and data-movement ops: reshape, permute, broadcastTo, slice, pad, concat, gather, scatterAdd.
 * All are linear, so each jvp is the op itself applied to the tangent.
 */
import type { Shape } from '../tensor/shape.js';
import { broadcastShapes, formatShape, sameShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError } from '../errors.js';
import * as kernels from '../kernels/layout.js';
import type { OpDef } from './types.js';
import {
  broadcastTo,
  concat,
  gather,
  pad,
  permute,
  reshape,
  scatterAdd,
  slice,
  sumToShape,
  zerosLike,
} from './functions.js';

/** Attributes of reshape and broadcastTo: the target shape. */
export interface ShapeAttrs {
  readonly shape: Shape;
}

export const reshapeOp: OpDef<ShapeAttrs> = {
  name: 'reshape',
  arity: 1,
  operands: ['data'],
  formula: { kind: 'call', name: 'reshape' },
  describeAttrs: ({ shape }) => formatShape(shape),
  shape: ([s], { shape }) => {
    if (sizeOf(s) !== sizeOf(shape)) {
      throw new ShapeError(
        'reshape',
        `cannot reshape ${formatShape(s)} (${sizeOf(s)} elements) to ${formatShape(shape)} (${sizeOf(shape)} elements)`,
        'the number of elements must stay the same; use -1 for one inferred dimension',
      );
    }
    return shape;
  },
  forward: ([x], _attrs, out) => {
    out.set(x.data);
    return out;
  },
  vjp: ({ g, inputs: [x] }) => [reshape(g, x.shape)],
  jvp: ({ tangents: [t], attrs: { shape } }) => (t ? reshape(t, shape) : null),
};

/** Attributes of permute: out axis i is input axis perm[i]. */
export interface PermuteAttrs {
  readonly perm: readonly number[];
}

export const permuteOp: OpDef<PermuteAttrs> = {
  name: 'permute',
  arity: 1,
  operands: ['data'],
  formula: { kind: 'call', name: 'permute' },
  describeAttrs: ({ perm }) => `[${perm.join(',')}]`,
  shape: ([s], { perm }) => {
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== s.length || sorted.some((p, i) => p !== i)) {
      throw new ShapeError(
        'permute',
        `[${perm.join(', ')}] is not a permutation of the ${s.length} axes of ${formatShape(s)}`,
        'list every axis exactly once',
      );
    }
    return perm.map((p) => s[p]);
  },
  forward: ([x], { perm }, out) => kernels.permute(x.data, x.shape, perm, out),
  vjp: ({ g, attrs: { perm } }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [permute(g, inverse)];
  },
  jvp: ({ tangents: [t], attrs: { perm } }) => (t ? permute(t, perm) : null),
};

export const broadcastToOp: OpDef<ShapeAttrs> = {
  name: 'broadcastTo',
  arity: 1,
  operands: ['data'],
  formula: { kind: 'call', name: 'broadcast' },
  describeAttrs: ({ shape }) => formatShape(shape),
  shape: ([s], { shape }) => {
    const b = broadcastShapes('broadcastTo', [s, shape]);
    if (!sameShape(b, shape)) {
      throw new ShapeError(
        'broadcastTo',
        `cannot broadcast ${formatShape(s)} to ${formatShape(shape)}`,
        'the target must contain the source shape as a broadcast',
      );
    }
    return shape;
  },
  forward: ([x], { shape }, out) => kernels.broadcastTo(x.data, x.shape, shape, out),
  vjp: ({ g, inputs: [x] }) => [sumToShape(g, x.shape)],
  jvp: ({ tangents: [t], attrs: { shape } }) => (t ? broadcastTo(t, shape) : null),
};

/** Attributes of slice: start index and extent on every axis. */
export interface SliceAttrs {
  readonly begin: readonly number[];
  readonly size: Shape;
}

export const sliceOp: OpDef<SliceAttrs> = {
  name: 'slice',
  arity: 1,
  operands: ['data'],
  formula: { kind: 'call', name: 'slice' },
  describeAttrs: ({ begin, size }) => `begin=[${begin.join(',')}], size=${formatShape(size)}`,
  shape: ([s], { begin, size }) => {
    const bad =
      s.length !== begin.length ||
      s.length !== size.length ||
      s.some((d, i) => begin[i] < 0 || size[i] < 0 || begin[i] + size[i] > d);
    if (bad) {
      throw new ShapeError(
        'slice',
        `begin [${begin.join(', ')}] with size ${formatShape(size)} does not fit in ${formatShape(s)}`,
        'give one begin and size per axis, inside the tensor',
      );
    }
    return size;
  },
  forward: ([x], { begin, size }, out) => kernels.slice(x.data, x.shape, begin, size, out),
  vjp: ({ g, inputs: [x], attrs: { begin, size } }) => [
    pad(
      g,
      begin,
      x.shape.map((d, i) => d - begin[i] - size[i]),
    ),
  ],
  jvp: ({ tangents: [t], attrs: { begin, size } }) => (t ? slice(t, begin, size) : null),
};

/** Attributes of pad: zeros before and after on every axis. */
export interface PadAttrs {
  readonly before: readonly number[];
  readonly after: readonly number[];
}

export const padOp: OpDef<PadAttrs> = {
  name: 'pad',
  arity: 1,
  operands: ['data'],
  formula: { kind: 'call', name: 'pad' },
  describeAttrs: ({ before, after }) => `before=[${before.join(',')}], after=[${after.join(',')}]`,
  shape: ([s], { before, after }) => {
    if (
      before.length !== s.length ||
      after.length !== s.length ||
      [...before, ...after].some((p) => p < 0 || !Number.isInteger(p))
    ) {
      throw new ShapeError(
        'pad',
        `padding before [${before.join(', ')}] / after [${after.join(', ')}] does not fit ${formatShape(s)}`,
        'give one non-negative integer per axis',
      );
    }
    return s.map((d, i) => d + before[i] + after[i]);
  },
  forward: ([x], { before }, out, outShape) => kernels.pad(x.data, x.shape, before, outShape, out),
  vjp: ({ g, inputs: [x], attrs: { before } }) => [slice(g, before, x.shape)],
  jvp: ({ tangents: [t], attrs: { before, after } }) => (t ? pad(t, before, after) : null),
};

/** Attributes of concat and gather: the (non-negative) axis. */
export interface ConcatAttrs {
  readonly axis: number;
}

export const concatOp: OpDef<ConcatAttrs> = {
  name: 'concat',
  arity: 'variadic',
  operands: ['data'],
  formula: { kind: 'call', name: 'concat' },
  describeAttrs: ({ axis }) => `axis=${axis}`,
  shape: (shapes, { axis }) => {
    const first = shapes[0];
    for (const s of shapes) {
      if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
        throw new ShapeError(
          'concat',
          `shapes ${shapes.map(formatShape).join(', ')} differ outside axis ${axis}`,
          'all dimensions but the concatenation axis must match',
        );
      }
    }
    return first.map((d, i) => (i === axis ? shapes.reduce((n, s) => n + s[axis], 0) : d));
  },
  forward: (inputs, { axis }, out, outShape) => kernels.concat(inputs, axis, outShape, out),
  vjp: ({ g, inputs, attrs: { axis }, needs }) => {
    let offset = 0;
    return inputs.map((x, i) => {
      const begin = x.shape.map((_, k) => (k === axis ? offset : 0));
      offset += x.shape[axis];
      return needs[i] ? slice(g, begin, x.shape) : null;
    });
  },
  jvp: ({ tangents, inputs, attrs: { axis } }) =>
    tangents.some((t) => t)
      ? concat(
          tangents.map((t, i) => t ?? zerosLike(inputs[i])),
          axis,
        )
      : null,
};

/** Attributes of scatterAdd: the axis and its length in the output. */
export interface ScatterAttrs {
  readonly axis: number;
  readonly size: number;
}

function checkIndices(op: string, indices: Tensor, dim: number): void {
  for (const i of indices.data) {
    if (i < 0 || i >= dim) {
      throw new ShapeError(
        op,
        `index ${i} is out of range for an axis of length ${dim}`,
        `indices must lie in [0, ${dim - 1}]`,
      );
    }
  }
}

export const gatherOp: OpDef<ConcatAttrs> = {
  name: 'gather',
  arity: 2,
  operands: ['data', 'int'],
  formula: { kind: 'call', name: 'gather' },
  describeAttrs: ({ axis }) => `axis=${axis}`,
  shape: ([s, idx], { axis }) => [...s.slice(0, axis), ...idx, ...s.slice(axis + 1)],
  writesAll: true,
  forward: ([x, indices], { axis }, out) => {
    checkIndices('gather', indices, x.shape[axis]);
    return kernels.gather(x.data, x.shape, indices.data, axis, out);
  },
  vjp: ({ g, inputs: [x, indices], attrs: { axis } }) => [scatterAdd(g, indices, axis, x.shape[axis]), null],
  jvp: ({ tangents: [t], inputs: [, indices], attrs: { axis } }) => (t ? gather(t, indices, axis) : null),
};

export const scatterAddOp: OpDef<ScatterAttrs> = {
  name: 'scatterAdd',
  arity: 2,
  operands: ['data', 'int'],
  formula: { kind: 'call', name: 'scatterAdd' },
  describeAttrs: ({ axis, size }) => `axis=${axis}, size=${size}`,
  shape: ([s, idx], { axis, size }) => {
    const expected = idx.length;
    if (s.length < axis + expected) {
      throw new ShapeError(
        'scatterAdd',
        `updates ${formatShape(s)} do not fit indices ${formatShape(idx)} on axis ${axis}`,
        'updates must have the shape gather would produce',
      );
    }
    return [...s.slice(0, axis), size, ...s.slice(axis + idx.length)];
  },
  forward: ([g, indices], { axis, size }, out, outShape) => {
    checkIndices('scatterAdd', indices, size);
    return kernels.scatterAdd(g.data, indices.data, outShape, axis, out);
  },
  vjp: ({ g, inputs: [, indices], attrs: { axis } }) => [gather(g, indices, axis), null],
  jvp: ({ tangents: [t], inputs: [, indices], attrs: { axis, size } }) =>
    t ? scatterAdd(t, indices, axis, size) : null,
};
