import { ShapeError } from '../errors.js';
import type { DType, TypedArray } from './dtype.js';
import { allocate, checkDType, dtypeOfArray, roundTo } from './dtype.js';
import type { Seed } from './random.js';
import { Rng } from './random.js';
import type { Shape } from './shape.js';
import { checkShape, formatShape, sizeOf } from './shape.js';
import type { NestedArray } from './tensor.js';
import { Tensor } from './tensor.js';

/** Anything `tensor()` accepts: a number, nested arrays of numbers, a typed array (with a shape), or a tensor. */
export type TensorInput = number | NestedArray | readonly NestedArray[] | TypedArray | Tensor;

/** Options of the creation functions. */
export interface CreateOptions {
  /** Element type. Default: the typed array's dtype, else float64 (JS numbers are doubles). */
  readonly dtype?: DType;
  /** Shape for flat input (typed arrays or flat arrays). */
  readonly shape?: Shape;
  /** A name shown in formulas and graph pictures. */
  readonly name?: string;
}

function inferShape(value: NestedArray | readonly NestedArray[]): number[] {
  const shape: number[] = [];
  let v: NestedArray | readonly NestedArray[] = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function fill(value: NestedArray | readonly NestedArray[], shape: Shape, out: TypedArray): void {
  let k = 0;
  const walk = (v: NestedArray | readonly NestedArray[], dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number')
        throw new ShapeError(
          'tensor',
          `ragged nested array at ${path}`,
          'every row must have the same length',
        );
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        'tensor',
        `ragged nested array at ${path}: expected ${shape[dim]} entries for shape ${formatShape(shape)}`,
        'every row must have the same length',
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], dim + 1, `${path}[${i}]`);
  };
  walk(value, 0, 'value');
}

/**
 * The values, shape and dtype a creation function was given. A lone number without a shape option stays a
 * number (a 0-d tensor keeps its value as one until someone reads `data`): a one-element typed array costs
 * several times the memory of the rest of the tensor.
 */
function toData(
  value: TensorInput,
  options: CreateOptions,
): { data: TypedArray | number; shape: Shape; dtype: DType } {
  if (typeof value === 'number' && options.shape === undefined) {
    const dtype = options.dtype ? checkDType('tensor', options.dtype) : 'float64';
    return { data: roundTo(dtype, value), shape: [], dtype };
  }
  if (value instanceof Tensor) {
    const dtype = options.dtype ?? value.dtype;
    if (dtype === value.dtype && !options.shape) return { data: value.data, shape: value.shape, dtype };
    value = value.data;
  }
  if (ArrayBuffer.isView(value)) {
    const dtype = options.dtype ? checkDType('tensor', options.dtype) : dtypeOfArray(value);
    const shape = checkShape('tensor', options.shape ?? [value.length]);
    const data = dtype === dtypeOfArray(value) ? value : allocate(dtype, value.length);
    if (data !== value) data.set(value);
    return { data, shape, dtype };
  }
  const dtype = options.dtype ? checkDType('tensor', options.dtype) : 'float64';
  const nested = inferShape(value);
  const data = allocate(dtype, sizeOf(nested));
  fill(value, nested, data);
  const shape = checkShape('tensor', options.shape ?? nested);
  return { data, shape, dtype };
}

/** A constant tensor from numbers, nested arrays or a typed array: `tensor([[1, 2], [3, 4]])`. */
export function tensor(value: TensorInput, options: CreateOptions = {}): Tensor {
  const { data, shape, dtype } = toData(value, options);
  return new Tensor(shape, dtype, data, 'constant', null, options.name);
}

/** A constant 0-d tensor: `scalar(2).mul(x)`. */
export function scalar(value: number, options: Omit<CreateOptions, 'shape'> = {}): Tensor {
  return tensor(value, options);
}

/** A differentiable leaf: gradients are taken with respect to variables. */
export function variable(value: TensorInput, options: CreateOptions = {}): Tensor {
  const { data, shape, dtype } = toData(value, options);
  if (dtype === 'int32') {
    throw new ShapeError(
      'variable',
      'an int32 tensor cannot be a variable',
      "variables must be float32 or float64; cast with { dtype: 'float64' }",
    );
  }
  return new Tensor(
    shape,
    dtype,
    data,
    'variable',
    null,
    options.name ?? (value instanceof Tensor ? value.name : undefined),
  );
}

/** A constant tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, options: Omit<CreateOptions, 'shape'> = {}): Tensor {
  const dtype = options.dtype ?? 'float64';
  const data = allocate(dtype, sizeOf(checkShape('full', shape)));
  data.fill(value);
  return new Tensor([...shape], dtype, data, 'constant', null, options.name);
}

/** A constant tensor of zeros. */
export function zeros(shape: Shape, options: Omit<CreateOptions, 'shape'> = {}): Tensor {
  return full(shape, 0, options);
}

/** A constant tensor of ones. */
export function ones(shape: Shape, options: Omit<CreateOptions, 'shape'> = {}): Tensor {
  return full(shape, 1, options);
}

/** Values start, start+step, ... below stop (NumPy's arange). */
export function arange(
  start: number,
  stop?: number,
  step = 1,
  options: Omit<CreateOptions, 'shape'> = {},
): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new ShapeError('arange', 'step is 0', 'use a non-zero step');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(options.dtype ?? 'float64', n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor([n], dtypeOfArray(data), data, 'constant', null, options.name);
}

/** `count` evenly spaced values from start to stop inclusive. */
export function linspace(
  start: number,
  stop: number,
  count: number,
  options: Omit<CreateOptions, 'shape'> = {},
): Tensor {
  checkShape('linspace', [count]);
  const data = allocate(options.dtype ?? 'float64', count);
  const step = count > 1 ? (stop - start) / (count - 1) : 0;
  for (let i = 0; i < count; i++) data[i] = i === count - 1 && count > 1 ? stop : start + i * step;
  return new Tensor([count], dtypeOfArray(data), data, 'constant', null, options.name);
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m = n, options: Omit<CreateOptions, 'shape'> = {}): Tensor {
  const data = allocate(options.dtype ?? 'float64', sizeOf(checkShape('eye', [n, m])));
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor([n, m], dtypeOfArray(data), data, 'constant', null, options.name);
}

/** Options of the random creation functions. */
export interface RandomOptions extends Omit<CreateOptions, 'shape'> {
  /** Required: the same seed gives bit-identical values. */
  readonly seed: Seed;
}

/** Uniform values in [low, high) (default [0, 1), like NumPy's rand), from a seed. */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number }): Tensor {
  const rng = new Rng(options.seed);
  const low = options.low ?? 0;
  const span = (options.high ?? 1) - low;
  const data = allocate(options.dtype ?? 'float64', sizeOf(checkShape('rand', shape)));
  for (let i = 0; i < data.length; i++) data[i] = low + span * rng.uniform();
  return new Tensor([...shape], dtypeOfArray(data), data, 'constant', null, options.name);
}

/** Normal values (mean 0, std 1 unless given) from a seed, via the Box–Muller transform. */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number }): Tensor {
  const rng = new Rng(options.seed);
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  const data = allocate(options.dtype ?? 'float64', sizeOf(checkShape('randn', shape)));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * rng.normal();
  return new Tensor([...shape], dtypeOfArray(data), data, 'constant', null, options.name);
}
