/**
 * The data every engine trains on, written once as raw little-endian arrays into a folder that the JS workers
 * and the Python script both read, so all engines see the same images, the same initial weights and the same
 * batch order. Everything random comes from seeds.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, tensor } from '@chainrule/autograd';
import { californiaHousing, mnist, moons, StandardScaler, trainTestSplit } from '@chainrule/datasets';
import type { BenchConfig } from './config.js';

/** Names and shapes of the arrays in a data folder. */
export interface DataManifest {
  readonly arrays: Record<string, { readonly dtype: 'float32' | 'int32'; readonly shape: readonly number[] }>;
  readonly californiaSource: string;
  /** Seconds `mnist()` took to load and scale the training images (the datasets package's loading budget). */
  readonly mnistLoadSeconds: number;
}

type Arrays = Record<string, { data: Float32Array | Int32Array; shape: number[] }>;

const SEED = 20261127;

/** Uniform(−limit, limit) weights with limit √(6/(fanIn+fanOut)) (Glorot), zero biases. */
function dense(arrays: Arrays, prefix: string, sizes: readonly number[], rng: Rng): void {
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = (rng.uniform() * 2 - 1) * limit;
    arrays[`${prefix}_w${l + 1}`] = { data: w, shape: [fanIn, fanOut] };
    arrays[`${prefix}_b${l + 1}`] = { data: new Float32Array(fanOut), shape: [fanOut] };
  }
}

/** One shuffled order of `n` rows per epoch, concatenated. */
function orders(n: number, epochs: number, rng: Rng): Int32Array {
  const out = new Int32Array(n * epochs);
  for (let e = 0; e < epochs; e++) out.set(rng.permutation(n), e * n);
  return out;
}

function floats(t: { data: ArrayLike<number> }): Float32Array {
  return Float32Array.from(t.data);
}

async function californiaArrays(config: BenchConfig, arrays: Arrays, dataPath: string | undefined, rng: Rng) {
  const rows = config.california.rows;
  let x: Float32Array;
  let y: Float32Array;
  let source: string;
  if (rows === null) {
    const frame = await californiaHousing(dataPath ? { path: dataPath } : {});
    x = floats(frame.features);
    y = floats(frame.target);
    source = frame.source;
  } else {
    // Smoke runs use a synthetic regression of the same width: y = Σ x_j / 8 + noise.
    x = new Float32Array(rows * 8);
    y = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < 8; j++) s += x[i * 8 + j] = rng.normal();
      y[i] = s / 8 + 0.1 * rng.normal();
    }
    source = 'synthetic';
  }
  const n = y.length;
  const split = trainTestSplit(tensor(x, { shape: [n, 8] }), tensor(y, { shape: [n] }), {
    seed: SEED,
    testSize: 0.2,
  });
  const scaler = StandardScaler.fit(split.xTrain);
  const xTrain = floats(scaler.transform(split.xTrain));
  const xTest = floats(scaler.transform(split.xTest));
  arrays.cal_x_train = { data: xTrain, shape: [xTrain.length / 8, 8] };
  arrays.cal_y_train = { data: floats(split.yTrain), shape: [xTrain.length / 8, 1] };
  arrays.cal_x_test = { data: xTest, shape: [xTest.length / 8, 8] };
  arrays.cal_y_test = { data: floats(split.yTest), shape: [xTest.length / 8, 1] };
  arrays.cal_order = { data: orders(xTrain.length / 8, config.california.epochs, rng), shape: [] };
  dense(arrays, 'cal', [8, 64, 64, 1], rng);
  return source;
}

/** Writes the data of every workload into `dir` and returns its manifest. */
export async function writeData(
  config: BenchConfig,
  dir: string,
  californiaPath?: string,
): Promise<DataManifest> {
  const rng = new Rng(SEED);
  const arrays: Arrays = {};
  const { train, test, epochs } = config.mnist;
  let mnistLoadSeconds = 0;
  for (const [split, limit] of [
    ['train', train],
    ['test', test],
  ] as const) {
    const started = performance.now();
    const set = mnist({ split, limit });
    if (split === 'train') mnistLoadSeconds = (performance.now() - started) / 1000;
    arrays[`mnist_x_${split}`] = { data: floats(set.images), shape: [limit, 784] };
    arrays[`mnist_y_${split}`] = { data: Int32Array.from(set.labels.data), shape: [limit] };
  }
  arrays.mnist_order = { data: orders(train, epochs, rng), shape: [train * epochs] };
  dense(arrays, 'mnist', [784, 128, 10], rng);

  const points = moons({ n: config.micrograd.points, seed: SEED, noise: 0.1 });
  arrays.moons_x = { data: floats(points.x), shape: [config.micrograd.points, 2] };
  // Labels as ±1 for the max-margin loss.
  arrays.moons_y = {
    data: Float32Array.from(points.y.data, (c) => 2 * c - 1),
    shape: [config.micrograd.points],
  };
  const scalarInit = new Float32Array(2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
  for (let i = 0; i < scalarInit.length; i++) scalarInit[i] = rng.uniform() * 2 - 1;
  arrays.micrograd_init = { data: scalarInit, shape: [scalarInit.length] };

  const californiaSource = await californiaArrays(config, arrays, californiaPath, rng);

  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const manifest: DataManifest = {
    arrays: Object.fromEntries(
      Object.entries(arrays).map(([name, a]) => [
        name,
        {
          dtype: a.data instanceof Int32Array ? 'int32' : 'float32',
          shape: a.shape.length ? a.shape : [a.data.length],
        },
      ]),
    ),
    californiaSource,
    mnistLoadSeconds,
  };
  for (const [name, a] of Object.entries(arrays)) {
    writeFileSync(
      join(dir, `${name}.bin`),
      new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength),
    );
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return manifest;
}
