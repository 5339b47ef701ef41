/**
 * chainrule: the same networks written with @chainrule/autograd ops, updated by @chainrule/nn's Adam.
 */
import {
  add,
  addRelu,
  allocate,
  gradients,
  jit,
  kernelFeatures,
  matmul,
  matmulT,
  mul,
  noGrad,
  recycle,
  relu,
  scalar,
  setKernelThreads,
  square,
  sub,
  sum,
  tensor,
  tidy,
  variable,
} from '@chainrule/autograd';
import { adam as nnAdam, crossEntropy } from '@chainrule/nn';
import type { OptimizerState } from '@chainrule/nn';
import { Map as ImmutableMap } from 'immutable';
import type { Tensor } from '@chainrule/autograd';
import { f32, gatherRows, i32, rSquared } from '../arrays.js';
import type { DataArrays } from '../arrays.js';
import type { BenchConfig, MatmulShape } from '../config.js';
import type { JsEngine, MatmulResult } from '../results.js';
import { gflopsOf, medianRun, mnistResult, timePerCall } from '../results.js';
import { microgradLayers, microgradScore } from '../micrograd.js';
import type { ScalarOps } from '../micrograd.js';

/** chainrule's 0-d ops for the micrograd network. */
const scalarOps: ScalarOps<Tensor> = { add, mul, relu };

interface Layer {
  w: Tensor;
  b: Tensor;
}

/**
 * @chainrule/nn's Adam (β1 0.9, β2 0.999, ε 1e-8, as torch.optim.Adam) over a flat list of parameters. Each
 * step runs in a tidy scope (activations and gradients go back to the buffer pool) and donates the previous
 * parameters and moments, which only this loop holds: in steady state a step allocates no new arrays.
 */
function adam(params: Tensor[], lr: number) {
  const optimizer = nnAdam({ lr });
  const keys = params.map((_, i) => String(i));
  const tree = (values: readonly Tensor[]) => ImmutableMap(keys.map((k, i) => [k, values[i]] as const));
  let state: OptimizerState = optimizer.init(tree(params));
  const leaves = (s: OptimizerState) => [...s.slots.values()].flatMap((slot) => [...slot.values()]);
  return (gradsOf: (params: Tensor[]) => Tensor[]): Tensor[] => {
    const before = [...params, ...leaves(state)];
    const next = tidy(
      () => optimizer.update(tree(params), tree(gradsOf(params)), state),
      (update) => [...update.params.values(), ...leaves(update.state)],
    );
    state = next.state;
    keys.forEach((k, i) => (params[i] = next.params.get(k)!));
    const after = [...params, ...leaves(state)];
    recycle(before, after);
    return [...params];
  };
}

function layers(arrays: DataArrays, prefix: string, count: number): Layer[] {
  const out: Layer[] = [];
  for (let l = 1; l <= count; l++) {
    const w = f32(arrays, `${prefix}_w${l}`);
    const b = f32(arrays, `${prefix}_b${l}`);
    out.push({
      w: tensor(w.slice(), { shape: [w.length / b.length, b.length] }),
      b: tensor(b.slice(), { shape: [b.length] }),
    });
  }
  return out;
}

function forward(net: readonly Layer[], x: Tensor): Tensor {
  let h = x;
  net.forEach((l, i) => {
    // Hidden layers fuse bias and ReLU into one op (addRelu); the output layer is linear.
    h = i + 1 < net.length ? addRelu(matmul(h, l.w), l.b) : add(matmul(h, l.w), l.b);
  });
  return h;
}

/**
 * Trains an MLP with Adam on the recorded batch order. `targetOf(rows, start, count)` makes a batch's targets
 * and `loss(out, target)` its loss; forward pass, loss and gradients run as one compiled step (`jit`).
 */
function train(
  net: Layer[],
  x: Float32Array,
  width: number,
  order: Int32Array,
  rowsPerEpoch: number,
  epochs: number,
  batch: number,
  targetOf: (rows: Int32Array, start: number, count: number) => Tensor,
  loss: (out: Tensor, target: Tensor) => Tensor,
  lr: number,
): number[] {
  const params = net.flatMap((l) => [l.w, l.b]);
  const step = adam(params, lr);
  const gradientsOf = jit((xb: Tensor, target: Tensor, ...weights: Tensor[]) => {
    const model = net.map((_, i) => ({ w: weights[2 * i], b: weights[2 * i + 1] }));
    return gradients(loss(forward(model, xb), target), weights);
  });
  const seconds: number[] = [];
  // Rows are gathered into this plain array, then copied into the batch's WebAssembly array in one piece:
  // TypedArray.set into shared memory copies with relaxed atomics, and 64 row copies into it took 40 µs per
  // batch against 30 for the two steps.
  const staging = new Float32Array(batch * width);
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    for (let s = 0; s < rowsPerEpoch; s += batch) {
      const count = Math.min(batch, rowsPerEpoch - s);
      const start = e * rowsPerEpoch + s;
      const next = step((weights) => {
        const rows = gatherRows(x, width, order, start, count, staging.subarray(0, count * width));
        const batchArray = allocate('float32', count * width, false);
        batchArray.set(rows);
        const xb = tensor(batchArray, { shape: [count, width] });
        return gradientsOf(xb, targetOf(order, start, count), ...weights);
      });
      net.forEach((l, i) => {
        l.w = next[2 * i];
        l.b = next[2 * i + 1];
      });
    }
    seconds.push((performance.now() - t0) / 1000);
  }
  return seconds;
}

function predict(net: readonly Layer[], x: Float32Array, width: number): Float32Array {
  return noGrad(() => forward(net, tensor(x, { shape: [x.length / width, width] })).data as Float32Array);
}

function micrograd(arrays: DataArrays, config: BenchConfig) {
  const xs = f32(arrays, 'moons_x');
  const ys = f32(arrays, 'moons_y');
  let values = Array.from(f32(arrays, 'micrograd_init'));
  let loss = 0;
  let right = 0;
  for (let k = 0; k < config.micrograd.steps; k++) {
    const params = values.map((v) => variable(v));
    const layers = microgradLayers(params);
    let total: Tensor = scalar(0);
    right = 0;
    for (let i = 0; i < ys.length; i++) {
      const score = microgradScore(layers, [scalar(xs[2 * i]), scalar(xs[2 * i + 1])], scalarOps);
      if (score.item() > 0 === ys[i] > 0) right++;
      total = add(total, relu(sub(1, mul(score, ys[i]))));
    }
    let reg: Tensor = scalar(0);
    for (const p of params) reg = add(reg, square(p));
    const lossT = add(mul(total, 1 / ys.length), mul(reg, 1e-4));
    loss = lossT.item();
    const grads = gradients(lossT, params);
    const lr = 1 - (0.9 * k) / 100;
    values = values.map((v, j) => v - lr * grads[j].item());
  }
  return { finalLoss: loss, accuracy: right / ys.length };
}

/** The chainrule engine. */
export const chainrule: JsEngine = {
  name: 'chainrule',
  version: () => {
    const { webAssemblySimd, fusedMultiplyAdd } = kernelFeatures();
    const kernels = webAssemblySimd
      ? `WebAssembly SIMD${fusedMultiplyAdd ? ' with relaxed-SIMD multiply-add in matmuls' : ''}, training steps compiled with jit, arrays in WebAssembly memory inside tidy steps, second thread for large matmuls and Adam updates where measured faster`
      : 'TypeScript kernels (no WebAssembly SIMD here)';
    return `0.1.0 (${kernels})`;
  },
  async mnist(arrays, config) {
    const { train: n, epochs, batch } = config.mnist;
    const net = layers(arrays, 'mnist', 2);
    const labels = i32(arrays, 'mnist_y_train');
    const epochSeconds = train(
      net,
      f32(arrays, 'mnist_x_train'),
      784,
      i32(arrays, 'mnist_order'),
      n,
      epochs,
      batch,
      (order, start, count) => {
        const batchLabels = allocate('int32', count, false) as Int32Array;
        for (let r = 0; r < count; r++) batchLabels[r] = labels[order[start + r]];
        return tensor(batchLabels, { shape: [count] });
      },
      (out, batchLabels) => crossEntropy(out, batchLabels),
      1e-3,
    );
    const scores = predict(net, f32(arrays, 'mnist_x_test'), 784);
    return mnistResult(epochSeconds, scores, arrays);
  },
  async matmul(config): Promise<MatmulResult> {
    // As in a training step: operands made and products taken inside tidy scopes, so they live in the
    // kernels' WebAssembly memory and each product's array goes back to the pool.
    const filled = (length: number, value: number, shape: number[]) =>
      tensor(allocate('float32', length, false).fill(value), { shape });
    const measure = (s: MatmulShape) => {
      const [a, b] = tidy(
        () => [
          filled(s.m * s.k, 0.5, s.transA ? [s.k, s.m] : [s.m, s.k]),
          filled(s.k * s.n, 0.25, s.transB ? [s.n, s.k] : [s.k, s.n]),
        ],
        (operands) => operands,
      );
      const product = () =>
        tidy(
          () => matmulT(a, b, s.transA, s.transB),
          () => [],
        );
      const runs = Array.from({ length: config.runs }, () => timePerCall(product, config.matmulSeconds));
      recycle([a, b]);
      return gflopsOf(s, runs);
    };
    // Two threads where measured faster (the default), then one.
    const gflops = config.matmul.map(measure);
    setKernelThreads('never');
    const oneThreadGflops = config.matmul.map(measure);
    setKernelThreads('auto');
    return { gflops, oneThreadGflops };
  },
  async micrograd(arrays, config) {
    return medianRun(config.runs, () => micrograd(arrays, config));
  },
  async california(arrays, config) {
    const { epochs, batch } = config.california;
    const xTrain = f32(arrays, 'cal_x_train');
    const yTrain = f32(arrays, 'cal_y_train');
    const net = layers(arrays, 'cal', 3);
    const t0 = performance.now();
    train(
      net,
      xTrain,
      8,
      i32(arrays, 'cal_order'),
      yTrain.length,
      epochs,
      batch,
      (order, start, count) => {
        const target = allocate('float32', count);
        for (let r = 0; r < count; r++) target[r] = yTrain[order[start + r]];
        return tensor(target, { shape: [count, 1] });
      },
      (out, target) => mul(sum(square(sub(out, target))), 1 / target.shape[0]),
      1e-3,
    );
    const seconds = (performance.now() - t0) / 1000;
    return {
      seconds,
      testR2: rSquared(predict(net, f32(arrays, 'cal_x_test'), 8), f32(arrays, 'cal_y_test')),
    };
  },
};
