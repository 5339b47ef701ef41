import { DTypeError } from '../errors.js';
import { noteAllocation, scopedArray, sourceArray, takeFromPool } from './pool.js';

/** Element types. float64 is the default for values built from JS numbers (they are doubles already). */
export type DType = 'float32' | 'float64' | 'int32';

/** The typed array that stores each dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/**
 * A zero-filled array of `dtype` holding `length` elements: one from the buffer pool when a `tidy` scope or
 * `recycle` returned one of that size, otherwise a new one (inside a tidy scope, a float array in the
 * kernels' WebAssembly memory, which they use without copying). `zeroed: false` skips zero-filling an array
 * taken from the pool, for callers that overwrite every element.
 */
export function allocate(dtype: DType, length: number, zeroed = true): TypedArray {
  const reused = takeFromPool(dtype, length, zeroed);
  const array = reused ?? scopedArray(dtype, length) ?? fresh(dtype, length);
  noteAllocation(array, reused !== undefined);
  return array;
}

/**
 * A zero-filled array that no scope or `recycle` takes back: its owner keeps it as long as it lives (a
 * compiled function's buffers, which go to the pool once the function is collected). Float arrays come from
 * the kernels' WebAssembly memory when they can.
 */
export function ownedArray(dtype: DType, length: number): TypedArray {
  return sourceArray(dtype, length) ?? fresh(dtype, length);
}

function fresh(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int32':
      return new Int32Array(length);
  }
}

/** The dtype a typed array stores. */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

/** `value` as an element of `dtype` stores it: rounded to float32, truncated to int32 (as a typed array would). */
export function roundTo(dtype: DType, value: number): number {
  return dtype === 'float32' ? Math.fround(value) : dtype === 'int32' ? value | 0 : value;
}

/** True for float32 and float64, the dtypes that can be differentiated. */
export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}

/** Checks that a string names a dtype. */
export function checkDType(where: string, dtype: string): DType {
  if (dtype === 'float32' || dtype === 'float64' || dtype === 'int32') return dtype;
  throw new DTypeError(where, `unknown dtype '${dtype}'`, "use 'float32', 'float64' or 'int32'");
}
