/**
 * Buffer reuse for training loops. Every op allocates its output (tensors are immutable), so a training step
 * would allocate the same arrays again and again and leave them to the garbage collector. Inside `tidy(fn)`,
 * the arrays that `allocate` hands out are recorded; when fn returns, those its result does not hold go back
 * to a pool by dtype and length, and the next `allocate` of that size takes one from there (zero-filled,
 * unless the caller overwrites every element). The tensors that held them are released: reading them
 * afterwards throws. `recycle` does the same
 * for tensors the caller knows to be dead (the previous step's parameters, as JAX's buffer donation).
 */
import { GraphError } from '../errors.js';
import type { DType, TypedArray } from './dtype.js';
// dtype.ts imports this module too (allocate uses the pool); both only call each other at run time.
import { dtypeOfArray } from './dtype.js';

/** Arrays shorter than this are never pooled: they are cheap to allocate and live in V8's young heap. */
export const POOL_MIN_LENGTH = 64;
/** The pool holds at most this many bytes; arrays beyond it are left to the garbage collector. */
export const POOL_MAX_BYTES = 256 * 1024 * 1024;

/** What a tensor must offer to be released (implemented by Tensor; kept structural to avoid an import cycle). */
export interface Releasable {
  /** The tensor's array, or undefined for a 0-d value kept as a number or an already released tensor. */
  poolArray(): TypedArray | undefined;
  /** Makes the tensor unreadable (its array now belongs to someone else). */
  release(): void;
}

interface Scope {
  readonly arrays: TypedArray[];
  readonly tensors: Releasable[];
}

const free: Record<DType, Map<number, TypedArray[]>> = {
  float32: new Map(),
  float64: new Map(),
  int32: new Map(),
};
let pooledBytes = 0;
let freshArrays = 0;
let reusedArrays = 0;
/** Arrays `allocate` created (only these may be pooled: a user's own array is never reused behind their back). */
const poolable = new WeakSet<TypedArray>();
/** Arrays now in the pool (so one released twice is still handed out once). */
const inPool = new WeakSet<TypedArray>();
const scopes: Scope[] = [];

/** Makes float arrays somewhere other than the JS heap (the kernels' WebAssembly memory), or declines. */
export type ArraySource = (dtype: DType, length: number) => TypedArray | undefined;
let source: ArraySource | undefined;
/** Arrays the source made; while it keeps supplying them, the pool takes no others of a float dtype. */
const sourced = new WeakSet<TypedArray>();
let sourceDeclined = false;

/**
 * Lets the kernel layer supply the arrays allocated inside tidy scopes (arrays in WebAssembly memory, which
 * its kernels use without copying). Only scoped arrays come from there: they return to the pool when the
 * scope ends, whereas an array made outside may simply be dropped.
 */
export function setArraySource(make: ArraySource): void {
  source = make;
}

/** An array from the registered source when a tidy scope is open, else undefined. */
export function scopedArray(dtype: DType, length: number): TypedArray | undefined {
  return scopes.length ? sourceArray(dtype, length) : undefined;
}

/**
 * An array from the registered source whether or not a scope is open (for arrays that live as long as their
 * owner, such as a compiled function's buffers), else undefined.
 */
export function sourceArray(dtype: DType, length: number): TypedArray | undefined {
  if (!source || length < POOL_MIN_LENGTH || dtype === 'int32') return undefined;
  const array = source(dtype, length);
  if (array) sourced.add(array);
  else sourceDeclined = true;
  return array;
}

/**
 * Whether a released array should wait in the pool. A float array from outside the source (made before the
 * first scope, e.g. initial parameters) is left to the garbage collector while the source supplies arrays:
 * pooled, it would be handed out again and again in place of a source array, and every kernel call on it
 * would copy it into WebAssembly memory and back.
 */
function worthPooling(array: TypedArray, dtype: DType): boolean {
  return !source || sourceDeclined || dtype === 'int32' || sourced.has(array);
}

/** An array from the pool (zero-filled unless `zeroed` is false), or undefined when none of this size is free. */
export function takeFromPool(dtype: DType, length: number, zeroed: boolean): TypedArray | undefined {
  if (length < POOL_MIN_LENGTH) return undefined;
  const array = free[dtype].get(length)?.pop();
  if (!array) return undefined;
  pooledBytes -= array.byteLength;
  reusedArrays++;
  inPool.delete(array);
  if (zeroed) array.fill(0);
  return array;
}

/** Called by `allocate` for every array it returns: marks it poolable and records it in the open scope. */
export function noteAllocation(array: TypedArray, reused: boolean): void {
  if (array.length < POOL_MIN_LENGTH) return;
  if (!reused) freshArrays++;
  poolable.add(array);
  scopes[scopes.length - 1]?.arrays.push(array);
}

/** Called by the Tensor constructor: tensors made inside a scope are released with their arrays. */
export function noteTensor(tensor: Releasable): void {
  if (scopes.length) scopes[scopes.length - 1].tensors.push(tensor);
}

function giveBack(array: TypedArray, dtype: DType): void {
  if (inPool.has(array) || pooledBytes + array.byteLength > POOL_MAX_BYTES || !worthPooling(array, dtype))
    return;
  inPool.add(array);
  const list = free[dtype].get(array.length);
  if (list) list.push(array);
  else free[dtype].set(array.length, [array]);
  pooledBytes += array.byteLength;
}

/**
 * Gives the pool the arrays of an owner that is gone (a compiled function's buffers, once the garbage collector
 * has taken the function): those from the array source, which the garbage collector could not take back.
 */
export function reclaimOwnedArrays(arrays: Iterable<TypedArray>): void {
  for (const array of arrays) if (sourced.has(array)) giveBack(array, dtypeOfArray(array));
}

/**
 * Returns `arrays` to the pool (those not in `keep`) and releases the tensors that used them. Arrays are
 * identified as objects, not by their ArrayBuffer: arrays in WebAssembly memory all share one buffer.
 */
function returnArrays(arrays: Iterable<TypedArray>, tensors: Iterable<Releasable>, keep: Set<TypedArray>) {
  const recycled = new Set<TypedArray>();
  for (const array of arrays) {
    if (keep.has(array) || recycled.has(array) || !poolable.has(array)) continue;
    recycled.add(array);
    giveBack(array, dtypeOfArray(array));
  }
  if (!recycled.size) return;
  for (const t of tensors) {
    const array = t.poolArray();
    if (array && recycled.has(array)) t.release();
  }
}

function arraysOf(tensors: Iterable<Releasable>): Set<TypedArray> {
  const keep = new Set<TypedArray>();
  for (const t of tensors) {
    const array = t.poolArray();
    if (array) keep.add(array);
  }
  return keep;
}

/**
 * Runs `fn` and reuses the arrays allocated inside it that its result does not need. `keep(result)` lists
 * the tensors to preserve (for example the leaves of the new parameters); everything else created inside is
 * released. Use it around one training step; scopes nest. Reading a released tensor throws a GraphError.
 * Raw arrays taken from tensors inside (`t.data`), and views of them made with `subarray`, must not outlive
 * the scope: only tensors holding the allocated array itself are tracked.
 */
export function tidy<T>(fn: () => T, keep: (result: T) => Iterable<Releasable>): T {
  const scope: Scope = { arrays: [], tensors: [] };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  const kept = arraysOf(keep(result));
  returnArrays(scope.arrays, scope.tensors, kept);
  const outer = scopes[scopes.length - 1];
  if (outer) {
    // What this scope kept was still allocated inside the enclosing one: it decides their fate.
    for (const array of scope.arrays) if (kept.has(array)) outer.arrays.push(array);
    for (const t of scope.tensors) if (t.poolArray()) outer.tensors.push(t);
  }
  return result;
}

/**
 * Donates the arrays of `dead` tensors to the pool, except arrays that a tensor of `alive` also uses; the dead
 * tensors are released. Only arrays chainrule allocated are taken. For callers that own the tensors, e.g. a
 * training loop replacing its parameters with the optimizer's output.
 */
export function recycle(dead: Iterable<Releasable>, alive: Iterable<Releasable> = []): void {
  const list = [...dead];
  const arrays: TypedArray[] = [];
  for (const t of list) {
    const array = t.poolArray();
    if (array) arrays.push(array);
  }
  returnArrays(arrays, list, arraysOf(alive));
}

/** Counters of the buffer pool since the process started. */
export interface BufferPoolStats {
  /** Bytes of arrays waiting in the pool. */
  readonly pooledBytes: number;
  /** Poolable-sized arrays created new by `allocate`. */
  readonly freshArrays: number;
  /** Arrays `allocate` took from the pool instead. */
  readonly reusedArrays: number;
}

/** How the buffer pool is doing: a training loop in steady state should add no fresh arrays per step. */
export function bufferPoolStats(): BufferPoolStats {
  return { pooledBytes, freshArrays, reusedArrays };
}

/** The error a released tensor throws when read. */
export function releasedError(id: number, shape: string): GraphError {
  return new GraphError(
    'tensor',
    `tensor #${id} ${shape} was released: its array went back to the buffer pool at the end of a tidy scope or a training step`,
    'return it from the tidy function (or list it in keep) to preserve it, or copy it inside the scope',
  );
}
