/**
 * TensorFlow.js 4.22 with its WebAssembly backend (SIMD, one thread) or its plain-JS cpu backend: the same
 * networks as raw ops, Adam from tf.train.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// The union package registers the gradients of every kernel (tfjs-core alone does not).
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { f32, gatherRows, i32, rSquared } from '../arrays.js';
import type { DataArrays } from '../arrays.js';
import type { JsEngine } from '../results.js';
import { gflopsOf, mnistResult, timePerCall } from '../results.js';

async function useBackend(backend: 'wasm' | 'cpu'): Promise<void> {
  if (backend === 'wasm') {
    const require = createRequire(import.meta.url);
    setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    setThreadsCount(1);
  }
  await tf.setBackend(backend);
  await tf.ready();
}

function layers(arrays: DataArrays, prefix: string, count: number): tf.Variable[] {
  const out: tf.Variable[] = [];
  for (let l = 1; l <= count; l++) {
    const w = f32(arrays, `${prefix}_w${l}`);
    const b = f32(arrays, `${prefix}_b${l}`);
    out.push(
      tf.variable(tf.tensor2d(w.slice(), [w.length / b.length, b.length])),
      tf.variable(tf.tensor1d(b.slice())),
    );
  }
  return out;
}

function forward(params: readonly tf.Variable[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    const z = tf.add(tf.matMul(h, params[i] as tf.Tensor2D), params[i + 1]) as tf.Tensor2D;
    h = i + 2 < params.length ? tf.relu(z) : z;
  }
  return h;
}

function train(
  params: tf.Variable[],
  x: Float32Array,
  width: number,
  order: Int32Array,
  rows: number,
  epochs: number,
  batch: number,
  loss: (out: tf.Tensor2D, start: number, count: number) => tf.Scalar,
): number[] {
  const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const seconds: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    for (let s = 0; s < rows; s += batch) {
      const count = Math.min(batch, rows - s);
      const start = e * rows + s;
      const xb = tf.tensor2d(gatherRows(x, width, order, start, count, new Float32Array(count * width)), [
        count,
        width,
      ]);
      opt.minimize(() => loss(forward(params, xb), start, count), false, params);
      xb.dispose();
    }
    // Waits for the last step, then records the epoch.
    params[0].dataSync();
    seconds.push((performance.now() - t0) / 1000);
  }
  return seconds;
}

function predict(params: readonly tf.Variable[], x: Float32Array, width: number): Float32Array {
  return tf.tidy(() => forward(params, tf.tensor2d(x, [x.length / width, width])).dataSync() as Float32Array);
}

/** The TensorFlow.js engine on `backend`. */
export function tfjsEngine(backend: 'wasm' | 'cpu'): JsEngine {
  return {
    name: `tfjs-${backend}`,
    version: () =>
      `TensorFlow.js ${tf.version_core}, ${backend}${backend === 'wasm' ? ' (SIMD, 1 thread)' : ''}`,
    async mnist(arrays, config) {
      await useBackend(backend);
      const { train: n, epochs, batch } = config.mnist;
      const params = layers(arrays, 'mnist', 2);
      const labels = i32(arrays, 'mnist_y_train');
      const order = i32(arrays, 'mnist_order');
      const epochSeconds = train(
        params,
        f32(arrays, 'mnist_x_train'),
        784,
        order,
        n,
        epochs,
        batch,
        (out, start, count) => {
          const idx = new Int32Array(count);
          for (let r = 0; r < count; r++) idx[r] = labels[order[start + r]];
          return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(idx, 'int32'), 10), out) as tf.Scalar;
        },
      );
      const scores = predict(params, f32(arrays, 'mnist_x_test'), 784);
      return mnistResult(epochSeconds, scores, arrays);
    },
    async matmul(config) {
      await useBackend(backend);
      const gflops = config.matmul.map((s) => {
        const a = tf.fill(s.transA ? [s.k, s.m] : [s.m, s.k], 0.5) as tf.Tensor2D;
        const b = tf.fill(s.transB ? [s.n, s.k] : [s.k, s.n], 0.25) as tf.Tensor2D;
        const runs = Array.from({ length: config.runs }, () =>
          timePerCall(() => {
            const c = tf.matMul(a, b, s.transA, s.transB);
            c.dataSync();
            c.dispose();
          }, config.matmulSeconds),
        );
        return gflopsOf(s, runs);
      });
      return { gflops };
    },
    async california(arrays, config) {
      await useBackend(backend);
      const { epochs, batch } = config.california;
      const yTrain = f32(arrays, 'cal_y_train');
      const order = i32(arrays, 'cal_order');
      const params = layers(arrays, 'cal', 3);
      const t0 = performance.now();
      train(
        params,
        f32(arrays, 'cal_x_train'),
        8,
        order,
        yTrain.length,
        epochs,
        batch,
        (out, start, count) => {
          const target = new Float32Array(count);
          for (let r = 0; r < count; r++) target[r] = yTrain[order[start + r]];
          return tf.losses.meanSquaredError(tf.tensor2d(target, [count, 1]), out) as tf.Scalar;
        },
      );
      const seconds = (performance.now() - t0) / 1000;
      return {
        seconds,
        testR2: rSquared(predict(params, f32(arrays, 'cal_x_test'), 8), f32(arrays, 'cal_y_test')),
      };
    },
  };
}
