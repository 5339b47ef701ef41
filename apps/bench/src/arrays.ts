/**
 * Reading a data folder written by `data.ts`, and the shared bookkeeping of the JS engines: batches in the
 * recorded order and the reported figures.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { DataManifest } from './data.js';

/** The arrays of a data folder by name. */
export type DataArrays = Record<string, Float32Array | Int32Array>;

/** The smallest memory page on the machines the bench runs on (x86-64 and arm64 Linux). */
const PAGE_BYTES = 4096;

/** Reads a file straight into a fresh, aligned buffer (one copy in memory, not a Buffer plus its copy). */
function readInto(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const bytes = new Uint8Array(fstatSync(fd).size);
    for (let at = 0; at < bytes.length;) {
      const read = readSync(fd, bytes, at, bytes.length - at, at);
      if (read === 0) throw new Error(`bench data: ${path} ended after ${at} of ${bytes.length} bytes`);
      at += read;
    }
    // Pages that only the kernel wrote fault on their first access from JS (about 4 µs per 4 KiB page in the
    // development VM): rewriting one byte per page here (`|= 0` keeps its value) keeps those faults out of the
    // first epoch's random batch gathers (0.2–0.3 s for MNIST's 188 MB; PyTorch's first epoch showed none).
    for (let at = 0; at < bytes.length; at += PAGE_BYTES) bytes[at] |= 0;
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Loads every array of the folder `dir`. */
export function readData(dir: string): { manifest: DataManifest; arrays: DataArrays } {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DataManifest;
  const arrays: DataArrays = {};
  for (const [name, { dtype }] of Object.entries(manifest.arrays)) {
    const bytes = readInto(join(dir, `${name}.bin`));
    arrays[name] = dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
  }
  return { manifest, arrays };
}

/** A float32 array by name (throws when it is missing or int32). */
export function f32(arrays: DataArrays, name: string): Float32Array {
  const a = arrays[name];
  if (!(a instanceof Float32Array)) throw new Error(`bench data: no float32 array '${name}'`);
  return a;
}

/** An int32 array by name. */
export function i32(arrays: DataArrays, name: string): Int32Array {
  const a = arrays[name];
  if (!(a instanceof Int32Array)) throw new Error(`bench data: no int32 array '${name}'`);
  return a;
}

/** Copies the rows `order[start..start+count)` of a row-major [N, width] array into `out`. */
export function gatherRows(
  src: Float32Array,
  width: number,
  order: Int32Array,
  start: number,
  count: number,
  out: Float32Array,
): Float32Array {
  for (let r = 0; r < count; r++)
    out.set(src.subarray(order[start + r] * width, (order[start + r] + 1) * width), r * width);
  return out;
}

/** Fraction of rows of `scores` ([N, classes]) whose largest entry is at the label. */
export function accuracy(scores: ArrayLike<number>, labels: Int32Array, classes: number): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c] > scores[i * classes + best]) best = c;
    if (best === labels[i]) right++;
  }
  return right / labels.length;
}

/** Coefficient of determination of predictions against targets. */
export function rSquared(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < target.length; i++) mean += target[i];
  mean /= target.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < target.length; i++) {
    res += (target[i] - pred[i]) ** 2;
    tot += (target[i] - mean) ** 2;
  }
  return 1 - res / tot;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
