/**
 * GEMM on typed arrays through the SIMD kernel, on the calling thread and, for large products, a helper
 * thread (`threads.ts`) that shares the memory: both threads claim chunks of C's columns.
 */
import type { ElementIsa } from './instructions.js';
import { f32Isa, f64Isa } from './instructions.js';
import type { GemmTiling } from './gemm.js';
import { PACK_A_MIN_PANELS } from './gemm.js';
import { zeroSkippingPackBytes } from './gemmZeros.js';
import { chooseHelper, recordCall } from './threadUse.js';
import type { Compiled } from './runtime.js';
import { alignLine, bytesOf, compiled, copyIn, layout, threadKernels, tilings } from './runtime.js';

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
/**
 * Columns of row blocks of op(A) sampled to judge whether skipping zeros pays, and the share of them that must
 * be empty. A row block skips a column only when all its mr elements are zero, and the columns it keeps cost
 * more than in the dense kernel (A is packed first, and each step reads an index). MNIST's images (61% of the
 * 4-row columns empty) gain 2–3×. For 64×784·784×128 with zeros scattered at random (one thread, pairs of
 * runs on a noisy host): 60% zeros (13% of the columns empty) ran at about the dense time, up to 10% slower;
 * 75% (32% empty) and more ran faster skipping, 80–85% by 20–45%.
 */
const ZERO_SAMPLES = 128;
const SKIP_ZEROS_MIN_SHARE = 0.3;
const MIN_EMPTY_SAMPLES = Math.ceil(SKIP_ZEROS_MIN_SHARE * ZERO_SAMPLES);

/**
 * Whether skipping zeros pays for op(A) (m×k, stored transposed when `transA`; row blocks of `mr` rows): at
 * least SKIP_ZEROS_MIN_SHARE of ZERO_SAMPLES columns of its row blocks, at fixed and well-spread positions, are
 * all zero. It stops as soon as the answer is known (a few µs at most: the runner asks on every wide product).
 */
export function worthSkippingZeros(
  a: Float32Array | Float64Array,
  m: number,
  k: number,
  transA: boolean,
  mr: number,
): boolean {
  const cells = Math.ceil(m / mr) * k;
  const rowStride = transA ? 1 : k;
  const columnStride = transA ? m : 1;
  let empty = 0;
  for (let s = 0; s < ZERO_SAMPLES; s++) {
    // Fibonacci hashing: the fractions s·φ mod 1 spread evenly over [0, 1) whatever the sizes.
    const cell = Math.floor(((Math.imul(s, 0x9e3779b1) >>> 0) / 2 ** 32) * cells);
    const block = Math.floor(cell / k);
    const p = cell - block * k;
    const last = Math.min(block * mr + mr, m);
    let i = block * mr;
    while (i < last && a[i * rowStride + p * columnStride] === 0) i++;
    if (i === last && ++empty >= MIN_EMPTY_SAMPLES) return true;
    if (s + 1 - empty > ZERO_SAMPLES - MIN_EMPTY_SAMPLES) return false;
  }
  return false;
}

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
  /** The element type's view over the shared memory (T is Float32Array exactly when elements are 4 bytes). */
  const View = (size === 4 ? Float32Array : Float64Array) as unknown as new (
    buffer: ArrayBufferLike,
    offset: number,
    length: number,
  ) => T;
  let chunkCounter = new Int32Array(memory.buffer, 0, 1);
  return (a, aOff, transA, b, bOff, transB, c, cOff, m, n, k) => {
    const panels = Math.ceil(n / nr);
    const ldc = panels * nr;
    const rows = Math.ceil(m / mr) * mr;
    const eligible = m * n * k >= THREAD_MIN_WORK && panels > CHUNK_PANELS;
    const key = eligible ? `gemm ${suffix} ${m}x${k}x${n} ${transA} ${transB}` : '';
    const partner = eligible ? chooseHelper(helper, key) : null;
    const started = performance.now();
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
    // of its own after the packed B (the helper's follows the caller's) and reuses it for its later chunks: a
    // mostly-zero A as lists of its nonzero columns, any other transposed A as it is; any other plain A is read
    // in place (see PACK_A_MIN_PANELS).
    const threads = partner ? 2 : 1;
    const wide = panels >= threads * PACK_A_MIN_PANELS;
    const skipZeros =
      wide &&
      zeroSkippingPackBytes(tiling, size, m, k) <= PACK_A_MAX_BYTES &&
      worthSkippingZeros(aSub, m, k, transA, mr);
    const packA = skipZeros || (transA && wide && rows * k * size <= PACK_A_MAX_BYTES);
    const aSlotBytes = alignLine(
      skipZeros ? zeroSkippingPackBytes(tiling, size, m, k) : packA ? rows * k * size : 0,
    );
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
      skipZeros ? 1 : 0,
      aSlot,
    ];
    if (partner) {
      partner.start(kernelIndex, [...args.slice(0, -1), packA ? aSlot + aSlotBytes : 0]);
      gemm(...args);
      // A reclaimed job needs nothing more: the caller's call claimed every chunk the helper did not.
      if (partner.finish() === 'failed') {
        // Only a bug in the kernels gets here; the helper is retired and C cannot be trusted.
        throw new Error("matmul: the helper thread failed; setKernelThreads('never') runs single-threaded");
      }
    } else {
      gemm(...args);
    }
    if (cDirect < 0) {
      if (ldc === n) {
        // One copy when C's rows have no padding.
        const out = new Uint8Array(cHeap.buffer, cHeap.byteOffset, cHeap.byteLength);
        out.set(bytesOf(compiled).subarray(cPtr, cPtr + m * n * size));
      } else {
        // Element by element: one `set` per row cost more than the product itself for narrow C (the MNIST
        // output layer's 64×10 took 13 µs, against a few for the loop).
        const padded = new View(compiled.heap.buffer(), cPtr, rows * ldc);
        for (let i = 0; i < m; i++) {
          const from = i * ldc;
          const to = cOff + i * n;
          for (let j = 0; j < n; j++) c[to + j] = padded[from + j];
        }
      }
    }
    if (eligible) recordCall(key, partner !== null, started);
  };
}

/** The SIMD GEMMs, or null when this runtime has no WebAssembly SIMD. */
export interface WasmGemms {
  readonly f32: GemmRunner<Float32Array>;
  readonly f64: GemmRunner<Float64Array>;
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
