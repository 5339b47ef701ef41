/**
 * Compiles the generated SIMD kernels (GEMM and elementwise arithmetic) once, synchronously, and runs them on
 * JS typed arrays: operands are copied into the module's memory, which grows on demand and is reused by every
 * call. A large GEMM can also run on a helper thread (`threads.ts`) that shares that memory: both threads
 * claim chunks of C's columns, and the calling thread alone copies the operands in and the product out.
 */
import { encodeModule } from './encoding.js';
import type { Arithmetic, ElementIsa, UnaryArithmetic } from './instructions.js';
import type { FunctionSpec } from './encoding.js';
import type { ArithmeticMode } from './arithmetic.js';
import { arithmeticFunction, unaryArithmeticFunction } from './arithmetic.js';
import { adamFunction } from './adam.js';
import { f32Isa, f64Isa } from './instructions.js';
import type { GemmTiling } from './gemm.js';
import { gemmFunction, PACK_A_MIN_PANELS } from './gemm.js';
import type { Helper } from './threads.js';
import { startHelper, ThreadChooser } from './threads.js';
import { Scratch, WasmHeap } from './heap.js';
import { setArraySource } from '../../tensor/pool.js';

/** Register tiles per element type: 8 (f32) accumulators of 128 bits leave room for the operands. */
export const tilings = {
  f32: { mr: 4, nr: 8, kc: 256 },
  f64: { mr: 4, nr: 4, kc: 256 },
} as const satisfies Record<string, GemmTiling>;

/** One GEMM on typed arrays: c[cOff..] = op(a)·op(b) with op(a) m×k and op(b) k×n, all row-major. */
export type GemmRunner<T> = (
  a: T,
  aOff: number,
  transA: boolean,
  b: T,
  bOff: number,
  transB: boolean,
  c: T,
  cOff: number,
  m: number,
  n: number,
  k: number,
) => void;

type Kernel = (...args: number[]) => void;

/** The part of the WebAssembly JS API used here (the project's lib settings do not declare it). */
interface WasmMemory {
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

interface Compiled {
  readonly memory: WasmMemory;
  readonly exports: Record<string, Kernel>;
  readonly helper: Helper | null;
  /** Arrays in the memory (kernels use them in place) and the scratch area for operands that live elsewhere. */
  readonly heap: WasmHeap;
  readonly scratch: Scratch;
}

/** 64 KiB pages the shared memory may grow to (2 GiB). */
const MAX_PAGES = 32768;
/** Kernels the helper thread can run, by index. */
const threadKernels = ['gemm_f32', 'gemm_f64'];

/**
 * When large GEMMs use the second thread: `auto` (the default) where the measured times of recent calls of the
 * same shape say it pays, `always` for every product from THREAD_MIN_WORK, `never`. Results are bit-identical
 * in every mode: each chunk of C's columns is computed by the same instructions whichever thread takes it.
 */
export type GemmThreadMode = 'auto' | 'always' | 'never';

let threadMode: GemmThreadMode = 'auto';

/** Sets when large GEMMs use the second thread (see `GemmThreadMode`). */
export function setGemmThreads(mode: GemmThreadMode): void {
  threadMode = mode;
}

const chooser = new ThreadChooser();

/**
 * Products with at least this many multiply-adds (m·n·k) may be split across two threads (2²¹ ≈ 2.1M). Measured
 * on the 2-core development machine in its quiet moments (paired 1-vs-2-thread runs, medians of 10): from about
 * 2M multiply-adds two threads ran 1.1–1.45x faster for most shapes (128³ 1.37x, 64×256·256×128 1.25x, the
 * MNIST layer's 6.4M products 1.4–1.5x) and 0.9–1.0x for narrow ones (n = 32 or 64, m = 32); around 1M the
 * gain was within noise and the fixed costs (waking the helper, timing the call) weigh more. Shapes where two
 * threads lose are caught by the measured choice of `auto`, not by this threshold; whenever the other core was
 * busy with other processes, two threads lost at every size.
 */
export const THREAD_MIN_WORK = 1 << 21;

function compile(): Compiled | null {
  const bytes = encodeModule(
    [
      gemmFunction(f32Isa, tilings.f32, 'f32'),
      gemmFunction(f64Isa, tilings.f64, 'f64'),
      ...arithmeticFunctions(f32Isa, 'f32'),
      ...arithmeticFunctions(f64Isa, 'f64'),
      adamFunction(f32Isa, 'f32'),
      adamFunction(f64Isa, 'f64'),
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
  return { memory, exports, helper, heap, scratch: new Scratch(heap) };
}

function arithmeticFunctions(isa: ElementIsa, suffix: string): FunctionSpec[] {
  const ops: Arithmetic[] = ['add', 'sub', 'mul', 'div'];
  const modes: ArithmeticMode[] = ['vv', 'vs', 'sv'];
  const unary: UnaryArithmetic[] = ['sqrt', 'neg'];
  return [
    ...ops.flatMap((op) => modes.map((mode) => arithmeticFunction(isa, op, mode, suffix))),
    ...unary.map((op) => unaryArithmeticFunction(isa, op, suffix)),
  ];
}

const alignLine = (bytes: number): number => (bytes + 63) & ~63;

/**
 * Byte offsets for one kernel call's arrays: an array that lives in the heap is used in place; any other gets a
 * slot in the scratch area (inputs are copied there by `copyIn`). `extra` bytes of scratch follow the slots,
 * `copies` times over when the caller rotates through several copies of its layout.
 */
function layout(
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
function bytesOf(c: Compiled): Uint8Array {
  const buffer = c.heap.buffer();
  if (memoryBytes?.buffer !== buffer) memoryBytes = new Uint8Array(buffer);
  return memoryBytes;
}

/** Copies `array` to byte offset `ptr` unless it already is there (a heap array used in place). */
function copyIn(c: Compiled, array: ArrayBufferView, ptr: number): void {
  if (c.heap.pointerOf(array) === ptr) return;
  bytesOf(c).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), ptr);
}

/** Copies the bytes at `ptr` into `array` unless it is there already. */
function copyOut(c: Compiled, ptr: number, array: ArrayBufferView): void {
  if (c.heap.pointerOf(array) === ptr) return;
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(
    bytesOf(c).subarray(ptr, ptr + array.byteLength),
  );
}

/**
 * Panels per chunk that a thread claims: two f32 or f64 panels fill one 64-byte cache line of each C row (1, 2
 * and 4 measured alike on the MNIST shapes).
 */
const CHUNK_PANELS = 2;
/**
 * Largest op(A) that threads pack (bytes, per thread): a training step's products are far below it; a batch of
 * predictions over a whole test set (10,000 × 784) would otherwise add two more copies of A to the scratch
 * memory, which never shrinks (peak RSS of the MNIST benchmark rose from 383 to 443 MiB).
 */
const PACK_A_MAX_BYTES = 2 << 20;
/** Copies of the two-thread layout used in turn, and the largest layout that is rotated (bigger ones are not). */
const REGIONS = 3;
const ROTATE_MAX_BYTES = 4 << 20;
let rotation = 0;

function makeRunner<T extends Float32Array | Float64Array>(
  compiled: Compiled,
  isa: ElementIsa,
  tiling: GemmTiling,
  suffix: string,
): GemmRunner<T> {
  const gemm = compiled.exports[`gemm_${suffix}`];
  const kernelIndex = threadKernels.indexOf(`gemm_${suffix}`);
  const { memory, helper } = compiled;
  const { mr, nr } = tiling;
  const size = isa.bytes;
  let chunkCounter = new Int32Array(memory.buffer, 0, 1);
  return (a, aOff, transA, b, bOff, transB, c, cOff, m, n, k) => {
    const panels = Math.ceil(n / nr);
    const ldc = panels * nr;
    const rows = Math.ceil(m / mr) * mr;
    const eligible = threadMode !== 'never' && m * n * k >= THREAD_MIN_WORK && panels > CHUNK_PANELS;
    const shape = eligible && threadMode === 'auto' ? `${suffix} ${m}x${k}x${n} ${transA} ${transB}` : '';
    const partner = eligible && helper?.ready() && (!shape || chooser.useHelper(shape)) ? helper : null;
    const started = shape ? performance.now() : 0;
    partner?.wake(); // it wakes while the operands are copied in
    // Operands that live in the heap are read in place; others are copied to scratch. C is written in place
    // when it is a heap array with no padding (rows a multiple of mr, columns of nr); otherwise into a padded
    // scratch matrix copied out afterwards. Scratch holds the packed B and C on a cache-line boundary, so
    // chunks of C share no line. Two-thread calls rotate through REGIONS copies of the scratch layout:
    // writing lines that the other core has just read waits for that core to drop them.
    const aSub = a.subarray(aOff, aOff + m * k);
    const bSub = b.subarray(bOff, bOff + k * n);
    const cHeap = c.subarray(cOff, cOff + m * n);
    const cDirect = rows === m && ldc === n ? compiled.heap.pointerOf(cHeap) : -1;
    // With PACK_A_MIN_PANELS panels per thread, each thread packs A once, during its first chunk, into a slot
    // of its own after the packed B (the helper's follows the caller's) and reuses it for its later chunks.
    const threads = partner ? 2 : 1;
    const packA = panels >= threads * PACK_A_MIN_PANELS && rows * k * size <= PACK_A_MAX_BYTES;
    const aSlotBytes = packA ? alignLine(rows * k * size) : 0;
    const packedBytes = alignLine(ldc * k * size) + threads * aSlotBytes;
    const extra = packedBytes + (cDirect >= 0 ? 0 : rows * ldc * size);
    const rotate = partner !== null && extra <= ROTATE_MAX_BYTES;
    const region = rotate ? (rotation = (rotation + 1) % REGIONS) : 0;
    const {
      ptrs: [aPtr, bPtr],
      extraPtr: packed,
    } = layout(compiled, [aSub, bSub], extra, rotate ? REGIONS : 1, region);
    const cPtr = cDirect >= 0 ? cDirect : packed + packedBytes;
    const aSlot = packA ? packed + alignLine(ldc * k * size) : 0;
    copyIn(compiled, bSub, bPtr);
    copyIn(compiled, aSub, aPtr);
    if (chunkCounter.buffer !== memory.buffer) chunkCounter = new Int32Array(compiled.heap.buffer(), 0, 1);
    chunkCounter[0] = 0;
    const args = [
      aPtr,
      transA ? 1 : k,
      transA ? m : 1,
      bPtr,
      transB ? k : 1,
      transB ? 1 : n,
      n,
      k,
      m,
      packed,
      cPtr,
      ldc,
      0,
      partner ? CHUNK_PANELS : panels,
      aSlot,
    ];
    if (partner) {
      partner.start(kernelIndex, [...args.slice(0, -1), packA ? aSlot + aSlotBytes : 0]);
      gemm(...args);
      if (!partner.finish()) {
        // Only a bug in the kernels gets here; the helper is retired and C cannot be trusted.
        throw new Error('matmul: the helper thread failed; setGemmThreads(false) runs single-threaded');
      }
    } else {
      gemm(...args);
    }
    if (cDirect < 0) {
      // One copy when C's rows have no padding, else one per row (into a single view of the target).
      const bytes = bytesOf(compiled);
      const out = new Uint8Array(cHeap.buffer, cHeap.byteOffset, cHeap.byteLength);
      if (ldc === n) out.set(bytes.subarray(cPtr, cPtr + m * n * size));
      else {
        for (let i = 0; i < m; i++) {
          const from = cPtr + i * ldc * size;
          out.set(bytes.subarray(from, from + n * size), i * n * size);
        }
      }
    }
    if (shape) chooser.record(shape, partner !== null, performance.now() - started);
  };
}

/** The SIMD GEMMs, or null when this runtime has no WebAssembly SIMD. */
export interface WasmGemms {
  readonly f32: GemmRunner<Float32Array>;
  readonly f64: GemmRunner<Float64Array>;
}

let compiledOnce: Compiled | null | undefined;

/** The compiled module, built on first use; null when WebAssembly SIMD is unavailable. */
function compiled(): Compiled | null {
  if (compiledOnce === undefined) compiledOnce = compile();
  return compiledOnce;
}

/** True when large GEMMs can use the second thread now (the helper starts in the background). */
export function gemmThreadsReady(): boolean {
  return threadMode !== 'never' && Boolean(compiled()?.helper?.ready());
}

let gemms: WasmGemms | null | undefined;

/** The GEMMs, compiled on first use; null when WebAssembly SIMD is unavailable. */
export function wasmGemms(): WasmGemms | null {
  if (gemms !== undefined) return gemms;
  const c = compiled();
  gemms = c && {
    f32: makeRunner<Float32Array>(c, f32Isa, tilings.f32, 'f32'),
    f64: makeRunner<Float64Array>(c, f64Isa, tilings.f64, 'f64'),
  };
  return gemms;
}

/**
 * out[o + r·cols + j] = a[ia + r·sa0 + j·sa1] ∘ b[ib + r·sb0 + j·sb1] for r < rows, j < cols, where the
 * inner strides sa1 and sb1 are 0 or 1 and not both 0 (the two inner loops of a planned broadcast).
 */
export type ArithmeticRunner<T> = (
  op: Arithmetic,
  a: T,
  ia: number,
  sa0: number,
  sa1: number,
  b: T,
  ib: number,
  sb0: number,
  sb1: number,
  out: T,
  o: number,
  rows: number,
  cols: number,
) => void;

function makeArithmetic<T extends Float32Array | Float64Array>(
  c: Compiled,
  isa: ElementIsa,
  suffix: string,
): ArithmeticRunner<T> {
  const { exports } = c;
  const size = isa.bytes;
  return (op, a, ia, sa0, sa1, b, ib, sb0, sb1, out, o, rows, cols) => {
    const kernel = exports[`${op}_${sa1 ? (sb1 ? 'vv' : 'vs') : 'sv'}_${suffix}`];
    const target = out.subarray(o, o + rows * cols);
    const {
      ptrs: [aPtr, bPtr, outPtr],
    } = layout(c, [a, b, target], 0);
    copyIn(c, a, aPtr);
    copyIn(c, b, bPtr);
    for (let r = 0; r < rows; r++) {
      kernel(aPtr + (ia + r * sa0) * size, bPtr + (ib + r * sb0) * size, outPtr + r * cols * size, cols);
    }
    copyOut(c, outPtr, target);
  };
}

/** out = op(x) elementwise over the whole arrays. */
export type UnaryArithmeticRunner<T> = (op: UnaryArithmetic, x: T, out: T) => void;

function makeUnaryArithmetic<T extends Float32Array | Float64Array>(
  c: Compiled,
  isa: ElementIsa,
  suffix: string,
): UnaryArithmeticRunner<T> {
  const { exports } = c;
  return (op, x, out) => {
    const {
      ptrs: [xPtr, outPtr],
    } = layout(c, [x, out], 0);
    copyIn(c, x, xPtr);
    exports[`${op}_${suffix}`](xPtr, outPtr, x.length);
    copyOut(c, outPtr, out);
  };
}

/** The SIMD elementwise arithmetic per element type. */
export interface WasmArithmetic {
  readonly float32: ArithmeticRunner<Float32Array>;
  readonly float64: ArithmeticRunner<Float64Array>;
  readonly unaryFloat32: UnaryArithmeticRunner<Float32Array>;
  readonly unaryFloat64: UnaryArithmeticRunner<Float64Array>;
}

let arithmetic: WasmArithmetic | null | undefined;

/** The arithmetic kernels, compiled on first use; null when WebAssembly SIMD is unavailable. */
export function wasmArithmetic(): WasmArithmetic | null {
  if (arithmetic !== undefined) return arithmetic;
  const c = compiled();
  arithmetic = c && {
    float32: makeArithmetic<Float32Array>(c, f32Isa, 'f32'),
    float64: makeArithmetic<Float64Array>(c, f64Isa, 'f64'),
    unaryFloat32: makeUnaryArithmetic<Float32Array>(c, f32Isa, 'f32'),
    unaryFloat64: makeUnaryArithmetic<Float64Array>(c, f64Isa, 'f64'),
  };
  return arithmetic;
}

/** The scalars of one Adam update (see `adam.ts` for the formula). */
export interface AdamScalars {
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  readonly epsilon: number;
  readonly stepSize: number;
  readonly correction2: number;
}

/** Arrays of one Adam update: parameters, gradients and moments in; new parameters and moments out. */
export interface AdamArrays<T> {
  readonly p: T;
  readonly g: T;
  readonly m: T;
  readonly v: T;
  readonly outP: T;
  readonly outM: T;
  readonly outV: T;
}

/** Runs the fused Adam update on typed arrays of one element type. */
export type AdamRunner<T> = (arrays: AdamArrays<T>, k: AdamScalars) => void;

function makeAdam<T extends Float32Array | Float64Array>(
  c: Compiled,
  isa: ElementIsa,
  suffix: string,
): AdamRunner<T> {
  const { exports } = c;
  const kernel = exports[`adam_${suffix}`];
  return (x, k) => {
    const arrays = [x.p, x.g, x.m, x.v, x.outP, x.outM, x.outV];
    const { ptrs } = layout(c, arrays, 0);
    for (let i = 0; i < 4; i++) copyIn(c, arrays[i], ptrs[i]);
    kernel(
      ...ptrs,
      x.p.length,
      k.oneMinusBeta1,
      k.beta2,
      k.oneMinusBeta2,
      k.epsilon,
      k.stepSize,
      k.correction2,
    );
    for (let i = 4; i < 7; i++) copyOut(c, ptrs[i], arrays[i]);
  };
}

/** The fused Adam updates per element type. */
export interface WasmAdam {
  readonly float32: AdamRunner<Float32Array>;
  readonly float64: AdamRunner<Float64Array>;
}

let adam: WasmAdam | null | undefined;

/** The Adam kernels, compiled on first use; null when WebAssembly SIMD is unavailable. */
export function wasmAdam(): WasmAdam | null {
  if (adam !== undefined) return adam;
  const c = compiled();
  adam = c && {
    float32: makeAdam<Float32Array>(c, f32Isa, 'f32'),
    float64: makeAdam<Float64Array>(c, f64Isa, 'f64'),
  };
  return adam;
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
