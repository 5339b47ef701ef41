/**
 * jax-js 0.1.25 on its WebAssembly backend (`init('wasm')`): matmul; MNIST and California with one
 * jit-compiled Adam training step (valueAndGrad + Adam written in jax-js ops) built around each loss; and the
 * micrograd workload vectorised. jax-js counts references: every array passed to a function is consumed, so
 * a value used again is passed as `.ref`.
 */
import { defaultDevice, init, jit, nn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';
import type { Array as JaxArray } from '@jax-js/jax';
import { f32, gatherRows, i32, rSquared } from '../arrays.js';
import type { DataArrays } from '../arrays.js';
import type { BenchConfig } from '../config.js';
import type { JsEngine } from '../results.js';
import { gflopsOf, medianRun, mnistResult, timePerCall } from '../results.js';

async function useWasm(): Promise<void> {
  await init('wasm');
  defaultDevice('wasm');
}

/** The MLP's output: ReLU between dense layers; consumes the parameters and x. */
function forward(params: readonly JaxArray[], x: JaxArray): JaxArray {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    const z = np.matmul(h, params[i]).add(params[i + 1]);
    h = i + 2 < params.length ? nn.relu(z) : z;
  }
  return h;
}

/** A batch loss; consumes the parameters, the inputs and the targets. */
type Loss = (params: JaxArray[], x: JaxArray, target: JaxArray) => JaxArray;

/** Mean softmax cross-entropy against one-hot targets. */
const crossEntropy: Loss = (params, x, oneHot) => {
  const rows = oneHot.shape[0];
  return nn
    .logSoftmax(forward(params, x))
    .mul(oneHot)
    .sum()
    .mul(-1 / rows);
};

/** Mean squared error against a [rows, 1] target column. */
const meanSquaredError: Loss = (params, x, target) => {
  const rows = target.shape[0];
  return np
    .square(forward(params, x).sub(target))
    .sum()
    .mul(1 / rows);
};

/** Parameters, Adam's first and second moments, and the batch loss after one step. */
type AdamOut = [JaxArray[], JaxArray[], JaxArray[], JaxArray];

/**
 * One jit-compiled Adam step on `loss` (β1 0.9, β2 0.999, ε 1e-8, as torch.optim.Adam); its arguments are
 * (params, m, v, x, target, c1, c2) with c1 = lr/(1−β1ᵗ), c2 = 1/(1−β2ᵗ). A new batch shape retraces it.
 */
function adamStep(loss: Loss) {
  return jit(
    (
      params: JaxArray[],
      m: JaxArray[],
      v: JaxArray[],
      x: JaxArray,
      target: JaxArray,
      c1: JaxArray,
      c2: JaxArray,
    ): AdamOut => {
      const [value, grads] = valueAndGrad(loss)(tree.ref(params), x, target);
      const nextM = m.map((mi, i) => mi.mul(0.9).add(grads[i].ref.mul(0.1)));
      const nextV = v.map((vi, i) => vi.mul(0.999).add(grads[i].ref.mul(grads[i]).mul(0.001)));
      const nextP = params.map((p, i) =>
        p.sub(nextM[i].ref.mul(c1.ref).div(np.sqrt(nextV[i].ref.mul(c2.ref)).add(1e-8))),
      );
      c1.dispose();
      c2.dispose();
      return [nextP, nextM, nextV, value];
    },
  );
}

const mnistStep = adamStep(crossEntropy);
const californiaStep = adamStep(meanSquaredError);

/**
 * Trains `params` (consumed) with Adam, lr 1e-3, on the recorded batch order; `target(start, count)` builds
 * the targets of the batch at `order[start..start+count)`. Returns the trained parameters and seconds per epoch.
 */
function train(
  step: ReturnType<typeof adamStep>,
  params: JaxArray[],
  x: Float32Array,
  width: number,
  order: Int32Array,
  rows: number,
  epochs: number,
  batch: number,
  target: (start: number, count: number) => JaxArray,
): { params: JaxArray[]; epochSeconds: number[] } {
  let m = params.map((p) => np.zerosLike(p.ref));
  let v = params.map((p) => np.zerosLike(p.ref));
  const epochSeconds: number[] = [];
  let t = 0;
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    for (let s = 0; s < rows; s += batch) {
      const count = Math.min(batch, rows - s);
      const start = e * rows + s;
      const xb = np.array(gatherRows(x, width, order, start, count, new Float32Array(count * width)), {
        shape: [count, width],
      });
      t++;
      const c1 = np.array([1e-3 / (1 - 0.9 ** t)]);
      const c2 = np.array([1 / (1 - 0.999 ** t)]);
      const out = step(params, m, v, xb, target(start, count), c1, c2);
      [params, m, v] = out;
      // Reading the loss submits this step: jax-js queues executions until data is read, and each step's
      // outputs would carry the whole queue, so per-step cost and memory would grow through the epoch.
      out[3].dataSync();
    }
    epochSeconds.push((performance.now() - t0) / 1000);
  }
  tree.dispose([m, v]);
  return { params, epochSeconds };
}

/** The network's outputs on the rows of x (consumes the parameters). */
function predict(params: JaxArray[], x: Float32Array, width: number): Float32Array {
  return forward(params, np.array(x, { shape: [x.length / width, width] })).dataSync() as Float32Array;
}

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

/** micrograd's parameters (per layer, per neuron: its weights, then its bias) as dense [in, out] layers. */
function neuronLayers(init: Float32Array, sizes: readonly number[]): JaxArray[] {
  const out: JaxArray[] = [];
  let at = 0;
  for (let l = 1; l < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l - 1], sizes[l]];
    const w = new Float32Array(fanIn * fanOut);
    const b = new Float32Array(fanOut);
    for (let n = 0; n < fanOut; n++) {
      for (let j = 0; j < fanIn; j++) w[j * fanOut + n] = init[at++];
      b[n] = init[at++];
    }
    out.push(np.array(w, { shape: [fanIn, fanOut] }), np.array(b, { shape: [fanOut] }));
  }
  return out;
}

/** micrograd's loss: mean of max(0, 1 − y·score) plus 1e-4·Σp²; the scores come along as aux. */
function maxMarginLoss(params: JaxArray[], x: JaxArray, y: JaxArray): [JaxArray, JaxArray] {
  const reg = params.map((p) => np.square(p.ref).sum()).reduce((a, b) => a.add(b));
  const scores = forward(params, x).reshape([-1]);
  const hinge = nn
    .relu(scores.ref.mul(y).mul(-1).add(1))
    .sum()
    .mul(1 / scores.shape[0]);
  return [hinge.add(reg.mul(1e-4)), scores];
}

/** One jit-compiled SGD step on the max-margin loss: (params, x, y, lr) → [params, loss, scores]. */
const sgdStep = jit(
  (params: JaxArray[], x: JaxArray, y: JaxArray, lr: JaxArray): [JaxArray[], JaxArray, JaxArray] => {
    const [[loss, scores], grads] = valueAndGrad(maxMarginLoss, { hasAux: true })(tree.ref(params), x, y);
    const next = params.map((p, i) => p.sub(grads[i].mul(lr.ref)));
    lr.dispose();
    return [next, loss, scores];
  },
);

/**
 * The micrograd workload the natural jax-js way: jax-js has no scalar-graph mode, so the same 2-16-16-1
 * network, loss and SGD schedule (lr 1 − 0.9·k/100) run on arrays, all points as one batch, with a
 * jit-compiled valueAndGrad step. Same algorithm and numbers as the scalar engines, vectorised (in float32).
 */
function micrograd(arrays: DataArrays, config: BenchConfig) {
  const ys = f32(arrays, 'moons_y');
  const x = np.array(f32(arrays, 'moons_x'), { shape: [ys.length, 2] });
  const y = np.array(ys, { shape: [ys.length] });
  let params = neuronLayers(f32(arrays, 'micrograd_init'), [2, 16, 16, 1]);
  let finalLoss = NaN;
  let right = 0;
  for (let k = 0; k < config.micrograd.steps; k++) {
    const [next, loss, scores] = sgdStep(params, x.ref, y.ref, np.array(1 - (0.9 * k) / 100));
    params = next;
    finalLoss = loss.dataSync()[0];
    const s = scores.dataSync();
    right = 0;
    for (let i = 0; i < ys.length; i++) if (s[i] > 0 === ys[i] > 0) right++;
  }
  tree.dispose([params, x, y]);
  return { finalLoss, accuracy: right / ys.length };
}

/** The jax-js engine. */
export const jaxjs: JsEngine = {
  name: 'jax-js',
  version: () => 'jax-js 0.1.25, wasm (jit-compiled training step)',
  async mnist(arrays, config) {
    await useWasm();
    const { train: n, epochs, batch } = config.mnist;
    const labels = i32(arrays, 'mnist_y_train');
    const order = i32(arrays, 'mnist_order');
    const { params, epochSeconds } = train(
      mnistStep,
      layers(arrays, 'mnist', 2),
      f32(arrays, 'mnist_x_train'),
      784,
      order,
      n,
      epochs,
      batch,
      (start, count) => {
        const oneHot = new Float32Array(count * 10);
        for (let r = 0; r < count; r++) oneHot[r * 10 + labels[order[start + r]]] = 1;
        return np.array(oneHot, { shape: [count, 10] });
      },
    );
    const scores = predict(params, f32(arrays, 'mnist_x_test'), 784);
    return mnistResult(epochSeconds, scores, arrays);
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
      return gflopsOf(s, runs);
    });
    return { gflops };
  },
  async micrograd(arrays, config) {
    await useWasm();
    return medianRun(config.runs, () => micrograd(arrays, config));
  },
  async california(arrays, config) {
    await useWasm();
    const { epochs, batch } = config.california;
    const yTrain = f32(arrays, 'cal_y_train');
    const order = i32(arrays, 'cal_order');
    const t0 = performance.now();
    const { params } = train(
      californiaStep,
      layers(arrays, 'cal', 3),
      f32(arrays, 'cal_x_train'),
      8,
      order,
      yTrain.length,
      epochs,
      batch,
      (start, count) => {
        const target = new Float32Array(count);
        for (let r = 0; r < count; r++) target[r] = yTrain[order[start + r]];
        return np.array(target, { shape: [count, 1] });
      },
    );
    const seconds = (performance.now() - t0) / 1000;
    return {
      seconds,
      testR2: rSquared(predict(params, f32(arrays, 'cal_x_test'), 8), f32(arrays, 'cal_y_test')),
    };
  },
};
