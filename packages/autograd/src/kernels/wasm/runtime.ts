/**
 * Compiles the generated SIMD kernels (GEMM, elementwise arithmetic, row sums, Adam) once, synchronously, into one module
 * on a shared WebAssembly memory, and places the operands of a kernel call in that memory: an array that lives
 * there (allocated inside a tidy scope, `heap.ts`) is used in place; any other is copied into a scratch region
 * and back. The runners per kernel family are `gemmRunner.ts`, `arithmeticRunner.ts` and `adamRunner.ts`.
 */
import { encodeModule, valType } from './encoding.js';
import type { BinaryArithmetic, ElementIsa, UnaryArithmetic } from './instructions.js';
import type { FunctionSpec } from './encoding.js';
import type { ArithmeticMode } from './arithmetic.js';
import { arithmeticFunction, unaryArithmeticFunction } from './arithmetic.js';
import { adamFunction } from './adam.js';
import { sumRowsFunction } from './sumRows.js';
import { FunctionBuilder, f32Isa, f64Isa } from './instructions.js';
import type { GemmTiling } from './gemm.js';
import { gemmFunction } from './gemm.js';
import type { Helper } from './threads.js';
import { startHelper } from './threads.js';
import { Scratch, WasmHeap } from './heap.js';
import { setArraySource } from '../../tensor/pool.js';

/** Register tiles per element type: 8 (f32) accumulators of 128 bits leave room for the operands. */
export const tilings = {
  f32: { mr: 4, nr: 8, kc: 256 },
  f64: { mr: 4, nr: 4, kc: 256 },
} as const satisfies Record<string, GemmTiling>;

/** A compiled kernel function. */
export type Kernel = (...args: number[]) => void;

/** The part of the WebAssembly JS API used here (the project's lib settings do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled module and what its runners share. */
export interface Compiled {
  readonly memory: WasmMemory;
  readonly exports: Record<string, Kernel>;
  readonly helper: Helper | null;
  /** Arrays in the memory (kernels use them in place) and the scratch area for operands that live elsewhere. */
  readonly heap: WasmHeap;
  readonly scratch: Scratch;
  /** The GEMM accumulates with relaxed SIMD's multiply-add. */
  readonly fusedMultiplyAdd: boolean;
}

/** 64 KiB pages the shared memory may grow to (2 GiB). */
const MAX_PAGES = 32768;
/** Kernels the helper thread can run, by index. */
export const threadKernels = ['gemm_f32', 'gemm_f64', 'adam_f32_bits'];

/**
 * Whether this runtime validates relaxed SIMD (Node ≥ 22, current browsers; Node 20 with
 * `--experimental-wasm-relaxed-simd`): the GEMM then accumulates with its multiply-add, which V8 compiles to
 * FMA instructions where the CPU has them (one rounding per step instead of two; ~1.2× on the MNIST shapes here).
 */
function hasRelaxedSimd(): boolean {
  const probe = new FunctionBuilder('probe', [['x', valType.v128]]);
  const x = probe.get('x');
  const bytes = encodeModule([probe.build(f32Isa.relaxedMadd(x, x, x), [0x1a])], 1);
  return Boolean(wasmApi?.validate(bytes));
}

function compile(): Compiled | null {
  const fusedMultiplyAdd = hasRelaxedSimd();
  const bytes = encodeModule(
    [
      gemmFunction(f32Isa, tilings.f32, 'f32', fusedMultiplyAdd),
      gemmFunction(f64Isa, tilings.f64, 'f64', fusedMultiplyAdd),
      ...arithmeticFunctions(f32Isa, 'f32'),
      ...arithmeticFunctions(f64Isa, 'f64'),
      adamFunction(f32Isa, 'f32'),
      adamFunction(f64Isa, 'f64'),
      adamFunction(f32Isa, 'f32', true),
      sumRowsFunction(f32Isa, 'f32'),
      sumRowsFunction(f64Isa, 'f64'),
    ],
    MAX_PAGES,
  );
  if (!wasmApi?.validate(bytes)) return null;
  let memory: WasmMemory;
  try {
    memory = new wasmApi.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  } catch {
    // Shared memory needs cross-origin isolation in browsers: without it, the TypeScript kernels run.
    return null;
  }
  const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
  const exports = instance.exports as Record<string, Kernel>;
  const helper = startHelper(bytes, memory, threadKernels);
  // The first cache line holds the GEMM's chunk counter; arrays and scratch regions come after it.
  const heap = new WasmHeap(memory, 64);
  return { memory, exports, helper, heap, scratch: new Scratch(heap), fusedMultiplyAdd };
}

function arithmeticFunctions(isa: ElementIsa, suffix: string): FunctionSpec[] {
  const ops: BinaryArithmetic[] = ['add', 'sub', 'mul', 'div', 'addRelu'];
  const modes: ArithmeticMode[] = ['vv', 'vs', 'sv'];
  const unary: UnaryArithmetic[] = ['sqrt', 'neg', 'relu', 'step'];
  return [
    ...ops.flatMap((op) => modes.map((mode) => arithmeticFunction(isa, op, mode, suffix))),
    ...unary.map((op) => unaryArithmeticFunction(isa, op, suffix)),
  ];
}

/** Rounds up to a 64-byte cache line. */
export const alignLine = (bytes: number): number => (bytes + 63) & ~63;

/**
 * Byte offsets for one kernel call's arrays: an array that lives in the heap is used in place; any other gets a
 * slot in the scratch area (inputs are copied there by `copyIn`). `extra` bytes of scratch follow the slots,
 * `copies` times over when the caller rotates through several copies of its layout.
 */
export function layout(
  c: Compiled,
  arrays: readonly ArrayBufferView[],
  extra: number,
  copies = 1,
  copy = 0,
): { ptrs: number[]; extraPtr: number } {
  const inHeap = arrays.map((a) => c.heap.pointerOf(a));
  let need = extra;
  arrays.forEach((a, i) => {
    if (inHeap[i] < 0) need += alignLine(a.byteLength);
  });
  need = alignLine(need);
  let cursor = need > 0 ? c.scratch.at(need * copies) + copy * need : 0;
  const ptrs = arrays.map((a, i) => {
    if (inHeap[i] >= 0) return inHeap[i];
    const ptr = cursor;
    cursor += alignLine(a.byteLength);
    return ptr;
  });
  return { ptrs, extraPtr: cursor };
}

let memoryBytes: Uint8Array | undefined;

/** The memory as bytes (a fresh view after it grew). */
export function bytesOf(c: Compiled): Uint8Array {
  const buffer = c.heap.buffer();
  if (memoryBytes?.buffer !== buffer) memoryBytes = new Uint8Array(buffer);
  return memoryBytes;
}

/** Copies `array` to byte offset `ptr` unless it already is there (a heap array used in place). */
export function copyIn(c: Compiled, array: ArrayBufferView, ptr: number): void {
  if (c.heap.pointerOf(array) === ptr) return;
  bytesOf(c).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), ptr);
}

/** Copies the bytes at `ptr` into `array` unless it is there already. */
export function copyOut(c: Compiled, ptr: number, array: ArrayBufferView): void {
  if (c.heap.pointerOf(array) === ptr) return;
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(
    bytesOf(c).subarray(ptr, ptr + array.byteLength),
  );
}

let compiledOnce: Compiled | null | undefined;

/** The compiled module, built on first use; null when WebAssembly SIMD is unavailable. */
export function compiled(): Compiled | null {
  if (compiledOnce === undefined) compiledOnce = compile();
  return compiledOnce;
}

/**
 * A zero-filled float array in the kernels' memory (the kernels use it in place), or undefined when
 * WebAssembly SIMD is unavailable or the heap is full.
 */
export function wasmArray(
  dtype: 'float32' | 'float64',
  length: number,
): Float32Array | Float64Array | undefined {
  const c = compiled();
  if (!c) return undefined;
  return dtype === 'float32' ? c.heap.array(Float32Array, length) : c.heap.array(Float64Array, length);
}

setArraySource((dtype, length) => (dtype === 'int32' ? undefined : wasmArray(dtype, length)));
