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
import { gemmFunction } from './gemm.js';
import type { Helper } from './threads.js';
import { startHelper, ThreadChooser } from './threads.js';

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
  const memory = new wasmApi.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
  const exports = instance.exports as Record<string, Kernel>;
  const helper = startHelper(bytes, memory, threadKernels);
  return { memory, exports, helper };
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

const align = (bytes: number): number => (bytes + 15) & ~15;
const alignLine = (bytes: number): number => (bytes + 63) & ~63;

/** Grows `memory` so that it holds at least `bytes`. */
function ensureBytes(memory: WasmMemory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}

interface ViewType<T> {
  new (buffer: ArrayBufferLike): T;
}

/**
 * Panels per chunk that a thread claims: two f32 or f64 panels fill one 64-byte cache line of each C row (1, 2
 * and 4 measured alike on the MNIST shapes).
 */
const CHUNK_PANELS = 2;
/** Copies of the two-thread layout used in turn, and the largest layout that is rotated (bigger ones are not). */
const REGIONS = 3;
const ROTATE_MAX_BYTES = 4 << 20;
let rotation = 0;

function makeRunner<T extends Float32Array | Float64Array>(
  compiled: Compiled,
  isa: ElementIsa,
  tiling: GemmTiling,
  suffix: string,
  View: ViewType<T>,
): GemmRunner<T> {
  const gemm = compiled.exports[`gemm_${suffix}`];
  const kernelIndex = threadKernels.indexOf(`gemm_${suffix}`);
  const { memory, helper } = compiled;
  const { mr, nr } = tiling;
  const size = isa.bytes;
  let view = new View(memory.buffer);
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
    // Layout: the chunk counter, then A, B, packed B and C (on a cache-line boundary, so that chunks of C share
    // no line). Two-thread calls rotate through REGIONS copies of it: writing lines that the other core has
    // just read waits for that core to drop them (the copy-in ran at half speed).
    const bytes = alignLine(align(align(m * k * size) + k * n * size) + ldc * k * size) + rows * ldc * size;
    const region = partner && bytes <= ROTATE_MAX_BYTES ? (rotation = (rotation + 1) % REGIONS) : 0;
    const aPtr = 64 + region * alignLine(bytes);
    const bPtr = align(aPtr + m * k * size);
    const packed = align(bPtr + k * n * size);
    const cPtr = alignLine(packed + ldc * k * size);
    ensureBytes(memory, cPtr + rows * ldc * size);
    if (view.buffer !== memory.buffer) {
      view = new View(memory.buffer);
      chunkCounter = new Int32Array(memory.buffer, 0, 1);
    }
    view.set(b.subarray(bOff, bOff + k * n), bPtr / size);
    view.set(a.subarray(aOff, aOff + m * k), aPtr / size);
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
    ];
    if (partner) {
      partner.start(kernelIndex, args);
      gemm(...args);
      if (!partner.finish()) {
        // Only a bug in the kernels gets here; the helper is retired and C cannot be trusted.
        throw new Error('matmul: the helper thread failed; setGemmThreads(false) runs single-threaded');
      }
    } else {
      gemm(...args);
    }
    const c0 = cPtr / size;
    if (ldc === n) c.set(view.subarray(c0, c0 + m * n), cOff);
    else for (let i = 0; i < m; i++) c.set(view.subarray(c0 + i * ldc, c0 + i * ldc + n), cOff + i * n);
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
    f32: makeRunner<Float32Array>(c, f32Isa, tilings.f32, 'f32', Float32Array),
    f64: makeRunner<Float64Array>(c, f64Isa, tilings.f64, 'f64', Float64Array),
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
  View: ViewType<T>,
): ArithmeticRunner<T> {
  const { memory, exports } = c;
  const size = isa.bytes;
  let view = new View(memory.buffer);
  return (op, a, ia, sa0, sa1, b, ib, sb0, sb1, out, o, rows, cols) => {
    const kernel = exports[`${op}_${sa1 ? (sb1 ? 'vv' : 'vs') : 'sv'}_${suffix}`];
    const aPtr = 0;
    const bPtr = align(a.length * size);
    const outPtr = align(bPtr + b.length * size);
    const n = rows * cols;
    ensureBytes(memory, outPtr + n * size);
    if (view.buffer !== memory.buffer) view = new View(memory.buffer);
    view.set(a, aPtr / size);
    view.set(b, bPtr / size);
    for (let r = 0; r < rows; r++) {
      kernel(aPtr + (ia + r * sa0) * size, bPtr + (ib + r * sb0) * size, outPtr + r * cols * size, cols);
    }
    out.set(view.subarray(outPtr / size, outPtr / size + n), o);
  };
}

/** out = op(x) elementwise over the whole arrays. */
export type UnaryArithmeticRunner<T> = (op: UnaryArithmetic, x: T, out: T) => void;

function makeUnaryArithmetic<T extends Float32Array | Float64Array>(
  c: Compiled,
  isa: ElementIsa,
  suffix: string,
  View: ViewType<T>,
): UnaryArithmeticRunner<T> {
  const { memory, exports } = c;
  const size = isa.bytes;
  let view = new View(memory.buffer);
  return (op, x, out) => {
    const outPtr = align(x.length * size);
    ensureBytes(memory, outPtr + x.length * size);
    if (view.buffer !== memory.buffer) view = new View(memory.buffer);
    view.set(x, 0);
    exports[`${op}_${suffix}`](0, outPtr, x.length);
    out.set(view.subarray(outPtr / size, outPtr / size + x.length));
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
    float32: makeArithmetic<Float32Array>(c, f32Isa, 'f32', Float32Array),
    float64: makeArithmetic<Float64Array>(c, f64Isa, 'f64', Float64Array),
    unaryFloat32: makeUnaryArithmetic<Float32Array>(c, f32Isa, 'f32', Float32Array),
    unaryFloat64: makeUnaryArithmetic<Float64Array>(c, f64Isa, 'f64', Float64Array),
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
  View: ViewType<T>,
): AdamRunner<T> {
  const { memory, exports } = c;
  const kernel = exports[`adam_${suffix}`];
  const size = isa.bytes;
  let view = new View(memory.buffer);
  return (x, k) => {
    const n = x.p.length;
    const stride = align(n * size);
    ensureBytes(memory, 7 * stride);
    if (view.buffer !== memory.buffer) view = new View(memory.buffer);
    [x.p, x.g, x.m, x.v].forEach((a, i) => view.set(a, (i * stride) / size));
    const ptr = (i: number) => i * stride;
    kernel(
      ptr(0),
      ptr(1),
      ptr(2),
      ptr(3),
      ptr(4),
      ptr(5),
      ptr(6),
      n,
      k.oneMinusBeta1,
      k.beta2,
      k.oneMinusBeta2,
      k.epsilon,
      k.stepSize,
      k.correction2,
    );
    [x.outP, x.outM, x.outV].forEach((a, i) =>
      a.set(view.subarray(((4 + i) * stride) / size, ((4 + i) * stride) / size + n)),
    );
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
    float32: makeAdam<Float32Array>(c, f32Isa, 'f32', Float32Array),
    float64: makeAdam<Float64Array>(c, f64Isa, 'f64', Float64Array),
  };
  return adam;
}
