import { DTypeError, GraphError } from '../errors.js';
import type { DType, TypedArray } from '../tensor/dtype.js';
import { allocate, isFloat, roundTo } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { NodeFields } from '../tensor/tensor.js';
import { forwardWhileTracing, isTracing } from '../tensor/tracing.js';
import type { OpDef } from './types.js';

/** A tensor or a plain JS number (weakly typed: it takes the dtype of the tensor it meets, as in JAX). */
export type TensorLike = Tensor | number;

let recording = true;
const scopes: string[] = [];

/** True while ops record graph nodes (false inside `noGrad`). */
export function isRecording(): boolean {
  return recording;
}

/** Runs `fn` with recording switched on or off, restoring the previous state afterwards. */
export function withRecording<T>(on: boolean, fn: () => T): T {
  const before = recording;
  recording = on;
  try {
    return fn();
  } finally {
    recording = before;
  }
}

/** Runs `fn` with every node it records tagged with the name scope `name` (nested scopes join with '/'). */
export function nameScope<T>(name: string, fn: () => T): T {
  scopes.push(name);
  try {
    return fn();
  } finally {
    scopes.pop();
  }
}

/** The innermost name scope, or undefined. */
export function currentScope(): string | undefined {
  return scopes.length ? scopes.join('/') : undefined;
}

/** The shape of every 0-d tensor the fast path makes (shapes are never mutated). */
const scalarShape: Shape = Object.freeze([]);

/** A constant 0-d tensor. */
export function constantScalar(value: number, dtype: DType): Tensor {
  return new Tensor(scalarShape, dtype, roundTo(dtype, value), 'constant', null, undefined);
}

function operandKind<A>(op: OpDef<A>, i: number) {
  const kinds = op.operands;
  if (!kinds) return 'float';
  return kinds[Math.min(i, kinds.length - 1)];
}

/** The dtype shared by an op's 'float' and 'data' operands; throws a DTypeError when they mix. */
function sharedDtype<A>(op: OpDef<A>, raw: readonly TensorLike[]): DType | undefined {
  let dtype: DType | undefined;
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i];
    const kind = operandKind(op, i);
    if (typeof t === 'number' || (kind !== 'float' && kind !== 'data')) continue;
    if (kind === 'float' && !isFloat(t.dtype)) {
      throw new DTypeError(
        op.name,
        `operand ${i} has dtype ${t.dtype}, but ${op.name} needs float32 or float64`,
        `cast it first: cast(x, 'float32')`,
      );
    }
    if (dtype === undefined) dtype = t.dtype;
    else if (t.dtype !== dtype) {
      throw new DTypeError(
        op.name,
        `operands mix ${dtype} and ${t.dtype}`,
        `cast one of them explicitly, e.g. x.cast('${dtype}')`,
      );
    }
  }
  return dtype;
}

/** Converts numbers to constants of the shared dtype and checks int operands. */
function coerce<A>(op: OpDef<A>, raw: readonly TensorLike[], dtype: DType): Tensor[] {
  return raw.map((t, i) => {
    const kind = operandKind(op, i);
    if (typeof t === 'number') return constantScalar(t, kind === 'int' ? 'int32' : dtype);
    if (kind === 'int' && t.dtype !== 'int32') {
      throw new DTypeError(
        op.name,
        `operand ${i} must be int32 indices, got ${t.dtype}`,
        `cast it: cast(indices, 'int32')`,
      );
    }
    return t;
  });
}

/**
 * The fast path for elementwise ops on 0-d float operands (and plain numbers): no shape rule, no kernel, the
 * op's plain-number forward function. `second` is undefined for unary ops. Returns null when the operands
 * need the general path (other shapes, int32, mixed dtypes — which then reports the error).
 */
function applyScalar<A>(
  op: OpDef<A>,
  first: TensorLike,
  second: TensorLike | undefined,
  attrs: A,
  name: string | undefined,
): Tensor | null {
  let dtype: DType | undefined;
  if (typeof first !== 'number') {
    if (first.shape.length !== 0 || first.dtype === 'int32') return null;
    dtype = first.dtype;
  }
  if (second !== undefined && typeof second !== 'number') {
    if (
      second.shape.length !== 0 ||
      second.dtype === 'int32' ||
      (dtype !== undefined && second.dtype !== dtype)
    )
      return null;
    dtype = second.dtype;
  }
  if (dtype === undefined) dtype = 'float64';
  const a = typeof first === 'number' ? constantScalar(first, dtype) : first;
  const b = typeof second === 'number' ? constantScalar(second, dtype) : second;
  const exact = op.scalar!.forward(a.scalarValue(), b ? b.scalarValue() : 0, attrs);
  const tracked = a.tracked || (b !== undefined && b.tracked);
  return result(op, a, b, undefined, attrs, tracked, scalarShape, dtype, roundTo(dtype, exact), name);
}

/**
 * The fields of every recorded node, filled per call: the Tensor constructor copies them out, so building a
 * scalar graph allocates one object per op (the tensor), not also a fields object and an input list.
 */
const scratchNode: { -readonly [K in keyof NodeFields]: NodeFields[K] } = {
  op: undefined as unknown as OpDef,
  input0: undefined,
  input1: undefined,
  inputList: undefined,
  attrs: undefined,
  scope: undefined,
};

/** The error of an op that `noGrad` would turn into a constant while `jit` traces. */
function frozenByNoGrad(name: string): GraphError {
  return new GraphError(
    'jit',
    `${name} ran inside noGrad on a traced value: its result would be frozen into the compiled function as it is now`,
    'do noGrad work (an optimizer update, a metric) outside the compiled function, or use stopGradient inside it',
  );
}

/**
 * The output tensor: a recorded node when recording is on and an input is tracked, else a constant. Its
 * inputs are `input0` and `input1` when there are at most two, else `inputList`.
 */
function result<A>(
  op: OpDef<A>,
  input0: Tensor | undefined,
  input1: Tensor | undefined,
  inputList: readonly Tensor[] | undefined,
  attrs: A,
  tracked: boolean,
  shape: Shape,
  dtype: DType,
  data: TypedArray | number,
  name: string | undefined,
): Tensor {
  if (!recording || !tracked) {
    if (tracked && isTracing()) throw frozenByNoGrad(op.name);
    return new Tensor(shape, dtype, data, 'constant', null, name);
  }
  const node = scratchNode;
  node.op = op as OpDef;
  node.input0 = input0;
  node.input1 = input1;
  node.inputList = inputList;
  node.attrs = attrs;
  node.scope = currentScope();
  const out = new Tensor(shape, dtype, data, 'op', node, name);
  // Keep nothing of the caller's alive.
  node.input0 = node.input1 = node.inputList = node.attrs = undefined;
  return out;
}

/**
 * Applies an op: checks dtypes, computes the shape and the value eagerly, and records a node when recording
 * is on and some input depends on a variable. Otherwise the result is a folded constant.
 */
export function apply<A>(op: OpDef<A>, raw: readonly TensorLike[], attrs: A, name?: string): Tensor {
  const variadic = op.arity === 'variadic';
  if (variadic ? raw.length === 0 : raw.length !== op.arity) {
    const wanted = variadic ? 'one or more operands' : `${op.arity} operand${op.arity === 1 ? '' : 's'}`;
    throw new GraphError(
      op.name,
      `takes ${wanted}, got ${raw.length}`,
      'pass one tensor or number per operand',
    );
  }
  // Ops with plain-number rules are elementwise: one or two operands, as just checked.
  if (op.scalar !== undefined) {
    const fast = applyScalar(op, raw[0], raw[1], attrs, name);
    if (fast) return fast;
  }
  return applyGeneral(op, raw, attrs, name);
}

/** `apply` for an op of one operand, without building an operand list on the 0-d fast path. */
export function applyUnary<A>(op: OpDef<A>, x: TensorLike, attrs: A): Tensor {
  return (
    (op.scalar !== undefined && applyScalar(op, x, undefined, attrs, undefined)) ||
    applyGeneral(op, [x], attrs)
  );
}

/** `apply` for an op of two operands, without building an operand list on the 0-d fast path. */
export function applyBinary<A>(op: OpDef<A>, a: TensorLike, b: TensorLike, attrs: A): Tensor {
  return (
    (op.scalar !== undefined && applyScalar(op, a, b, attrs, undefined)) || applyGeneral(op, [a, b], attrs)
  );
}

/** The general path of `apply`: shape rule, kernels, any operands. */
function applyGeneral<A>(op: OpDef<A>, raw: readonly TensorLike[], attrs: A, name?: string): Tensor {
  const shared = sharedDtype(op, raw) ?? 'float64';
  const inputs = coerce(op, raw, shared);
  const shapes = new Array<Shape>(inputs.length);
  let tracked = false;
  for (let i = 0; i < inputs.length; i++) {
    shapes[i] = inputs[i].shape;
    tracked ||= inputs[i].tracked;
  }
  const shape = op.shape(shapes, attrs);
  const dtype = op.dtype
    ? op.dtype(
        inputs.map((t) => t.dtype),
        attrs,
      )
    : shared;
  const out = allocate(dtype, sizeOf(shape), !op.writesAll);
  const data = isTracing()
    ? forwardWhileTracing(() => op.forward(inputs, attrs, out, shape))
    : op.forward(inputs, attrs, out, shape);
  const listed = inputs.length > 2;
  return result(
    op,
    listed ? undefined : inputs[0],
    listed ? undefined : inputs[1],
    listed ? inputs : undefined,
    attrs,
    tracked,
    shape,
    dtype,
    data,
    name,
  );
}
