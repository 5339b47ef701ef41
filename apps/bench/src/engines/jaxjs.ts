/**
 * jax-js 0.1.25 on its WebAssembly backend (`init('wasm')`): matmul, and MNIST with a jit-compiled training
 * step (valueAndGrad + Adam written in jax-js ops). jax-js counts references: every array passed to a
 * function is consumed, so a value used again is passed as `.ref`.
 */
import { defaultDevice, init, jit, nn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';
import type { Array as JaxArray } from '@jax-js/jax';
import { accuracy, f32, gatherRows, i32, median } from '../arrays.js';
import type { DataArrays } from '../arrays.js';
import type { JsEngine } from '../results.js';
import { peakRssMiB, timePerCall } from '../results.js';

async function useWasm(): Promise<void> {
  await init('wasm');
  defaultDevice('wasm');
}

/** The MLP's logits: ReLU between dense layers; consumes the parameters and x. */
function forward(params: readonly JaxArray[], x: JaxArray): JaxArray {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    const z = np.matmul(h, params[i]).add(params[i + 1]);
    h = i + 2 < params.length ? nn.relu(z) : z;
  }
  return h;
}

/** Mean softmax cross-entropy against one-hot targets. */
function crossEntropy(params: JaxArray[], x: JaxArray, oneHot: JaxArray): JaxArray {
  const rows = oneHot.shape[0];
  return nn
    .logSoftmax(forward(params, x))
    .mul(oneHot)
    .sum()
    .mul(-1 / rows);
}

/** One Adam step (β1 0.9, β2 0.999, ε 1e-8, as torch.optim.Adam); c1 = lr/(1−β1ᵗ), c2 = 1/(1−β2ᵗ). */
const adamStep = jit(
  (
    params: JaxArray[],
    m: JaxArray[],
    v: JaxArray[],
    x: JaxArray,
    y: JaxArray,
    c1: JaxArray,
    c2: JaxArray,
  ) => {
    const [loss, grads] = valueAndGrad(crossEntropy)(tree.ref(params), x, y);
    const nextM = m.map((mi, i) => mi.mul(0.9).add(grads[i].ref.mul(0.1)));
    const nextV = v.map((vi, i) => vi.mul(0.999).add(grads[i].ref.mul(grads[i]).mul(0.001)));
    const nextP = params.map((p, i) =>
      p.sub(nextM[i].ref.mul(c1.ref).div(np.sqrt(nextV[i].ref.mul(c2.ref)).add(1e-8))),
    );
    c1.dispose();
    c2.dispose();
    return [nextP, nextM, nextV, loss];
  },
);

function layers(arrays: DataArrays, prefix: string, count: number): JaxArray[] {
  const out: JaxArray[] = [];
  for (let l = 1; l <= count; l++) {
    const w = f32(arrays, `${prefix}_w${l}`);
    const b = f32(arrays, `${prefix}_b${l}`);
    out.push(
      np.array(w.slice(), { shape: [w.length / b.length, b.length] }),
      np.array(b.slice(), { shape: [b.length] }),
    );
  }
  return out;
}

/** The jax-js engine. */
export const jaxjs: JsEngine = {
  name: 'jax-js',
  version: () => 'jax-js 0.1.25, wasm (jit-compiled training step)',
  async mnist(arrays, config) {
    await useWasm();
    const { train: n, epochs, batch } = config.mnist;
    const x = f32(arrays, 'mnist_x_train');
    const labels = i32(arrays, 'mnist_y_train');
    const order = i32(arrays, 'mnist_order');
    let params = layers(arrays, 'mnist', 2);
    let m = params.map((p) => np.zerosLike(p.ref));
    let v = params.map((p) => np.zerosLike(p.ref));
    const epochSeconds: number[] = [];
    let t = 0;
    for (let e = 0; e < epochs; e++) {
      const t0 = performance.now();
      for (let s = 0; s < n; s += batch) {
        const count = Math.min(batch, n - s);
        const start = e * n + s;
        const xb = np.array(gatherRows(x, 784, order, start, count, new Float32Array(count * 784)), {
          shape: [count, 784],
        });
        const oneHot = new Float32Array(count * 10);
        for (let r = 0; r < count; r++) oneHot[r * 10 + labels[order[start + r]]] = 1;
        t++;
        const c1 = np.array([1e-3 / (1 - 0.9 ** t)]);
        const c2 = np.array([1 / (1 - 0.999 ** t)]);
        const out = adamStep(
          params,
          m,
          v,
          xb,
          np.array(oneHot, { shape: [count, 10] }),
          c1,
          c2,
        ) as unknown as [JaxArray[], JaxArray[], JaxArray[], JaxArray];
        [params, m, v] = out;
        out[3].dispose();
      }
      params[0].ref.dataSync();
      epochSeconds.push((performance.now() - t0) / 1000);
    }
    const test = f32(arrays, 'mnist_x_test');
    const scores = forward(params, np.array(test, { shape: [test.length / 784, 784] })).dataSync();
    return {
      epochSeconds,
      testAccuracy: accuracy(scores, i32(arrays, 'mnist_y_test'), 10),
      peakRssMiB: peakRssMiB(),
    };
  },
  async matmul(config) {
    await useWasm();
    const gflops = config.matmul.map((s) => {
      const a = np.full(s.transA ? [s.k, s.m] : [s.m, s.k], 0.5);
      const b = np.full(s.transB ? [s.n, s.k] : [s.k, s.n], 0.25);
      const runs = Array.from({ length: config.runs }, () =>
        timePerCall(() => {
          const opA = s.transA ? np.transpose(a.ref) : a.ref;
          const opB = s.transB ? np.transpose(b.ref) : b.ref;
          np.matmul(opA, opB).dataSync();
        }, config.matmulSeconds),
      );
      a.dispose();
      b.dispose();
      return (2 * s.m * s.n * s.k) / median(runs) / 1e9;
    });
    return { gflops };
  },
};
