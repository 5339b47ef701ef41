/**
 * Arrays that live in the kernels' WebAssembly memory, so SIMD kernels read and write them in place instead of
 * copying operands in and results out (for an MNIST step that was ~4 MB of copies). Regions are carved from
 * the shared memory and recycled by exact byte size. Tidy scopes allocate here, and their arrays come back
 * through the buffer pool; so do compiled functions (`jit`), whose buffers go to the pool once the function
 * has been collected. An array that leaves a scope and is later dropped keeps its region: the garbage
 * collector cannot tell when the last view of a region dies (a `subarray` of it may outlive the array
 * itself), and reusing a region someone still reads would corrupt their values silently. So the heap stops
 * growing at `HEAP_MAX_BYTES`; beyond it `allocate` hands out ordinary arrays, which the kernels copy as before.
 */

/** The part of WebAssembly.Memory the heap uses. */
export interface HeapMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

/** The most bytes of arrays the heap hands out (the memory itself can never shrink). */
export const HEAP_MAX_BYTES = 256 * 1024 * 1024;
/** Regions start on cache-line boundaries, so two threads writing neighbouring chunks never share a line. */
const LINE = 64;

const PAGE = 65536;

const lineAlign = (bytes: number): number => (bytes + LINE - 1) & ~(LINE - 1);

/** A region of the memory: byte offset and byte length. */
export interface Region {
  readonly offset: number;
  readonly bytes: number;
}

/** Regions of the shared memory, carved upward from `base`. */
export class WasmHeap {
  private top: number;
  private used = 0;
  private readonly free = new Map<number, number[]>();
  /** Every ArrayBuffer object the memory has exposed (growing a shared memory yields a new one). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  constructor(
    private readonly memory: HeapMemory,
    base: number,
  ) {
    this.top = lineAlign(base);
    this.buffers.add(memory.buffer);
  }

  /** A zero-filled array of `length` elements in the memory, or undefined when the heap is full. */
  array<T extends Float32Array | Float64Array>(
    View: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
    length: number,
  ): T | undefined {
    const bytes = lineAlign(length * View.BYTES_PER_ELEMENT);
    const offset = this.take(bytes, true);
    if (offset < 0) return undefined;
    const view = new View(this.buffer(), offset, length);
    view.fill(0); // a recycled scratch region may hold old values
    return view;
  }

  /**
   * A region of at least `bytes` for a kernel's own use (scratch), outside the array budget; give it back with
   * `releaseRegion`. Throws when the memory cannot grow that far.
   */
  region(bytes: number): Region {
    const size = lineAlign(bytes);
    const offset = this.take(size, false);
    if (offset < 0) {
      throw new RangeError(
        `WebAssembly memory: no room for a ${size}-byte scratch region (the maximum is 2 GiB)`,
      );
    }
    return { offset, bytes: size };
  }

  /** Returns a region from `region` for reuse. */
  releaseRegion(region: Region): void {
    this.release(region);
  }

  /** The memory's current buffer (views made from it survive later growth: the memory is shared). */
  buffer(): ArrayBufferLike {
    this.buffers.add(this.memory.buffer);
    return this.memory.buffer;
  }

  /** The byte offset of `array`'s first element in the memory, or -1 when it lives elsewhere. */
  pointerOf(array: ArrayBufferView): number {
    return this.buffers.has(array.buffer) ? array.byteOffset : -1;
  }

  private take(bytes: number, capped: boolean): number {
    const reused = this.free.get(bytes)?.pop();
    if (reused !== undefined) {
      this.used += bytes;
      return reused;
    }
    if (capped && this.used + bytes > HEAP_MAX_BYTES) return -1;
    const offset = this.top;
    const end = offset + bytes;
    const missing = end - this.memory.buffer.byteLength;
    if (missing > 0) {
      try {
        this.memory.grow(Math.ceil(missing / PAGE));
      } catch {
        return -1; // the memory reached its maximum: ordinary arrays from here on
      }
    }
    this.top = end;
    this.used += bytes;
    return offset;
  }

  private release({ offset, bytes }: Region): void {
    this.used -= bytes;
    const list = this.free.get(bytes);
    if (list) list.push(offset);
    else this.free.set(bytes, [offset]);
  }
}

/**
 * One growing scratch region for the operands of kernel calls that do not live in the heap. It is replaced by
 * a larger one (the old one goes back to the heap) when a call needs more.
 */
export class Scratch {
  private current: Region | undefined;

  constructor(private readonly heap: WasmHeap) {}

  /** The byte offset of a scratch area of at least `bytes`, valid until the next call. */
  at(bytes: number): number {
    if (!this.current || this.current.bytes < bytes) {
      if (this.current) this.heap.releaseRegion(this.current);
      this.current = this.heap.region(Math.max(bytes, 2 * (this.current?.bytes ?? 0), 65536));
    }
    return this.current.offset;
  }
}
