/**
 * jax-js 0.1.25 on its WebAssembly backend (`init('wasm')`): matmul only for now.
 */
import { defaultDevice, init, numpy as np } from '@jax-js/jax';
import { median } from '../arrays.js';
import type { JsEngine } from '../results.js';
import { timePerCall } from '../results.js';

/** The jax-js engine. */
export const jaxjs: JsEngine = {
  name: 'jax-js',
  version: () => 'jax-js 0.1.25, wasm',
  async matmul(config) {
    await init('wasm');
    defaultDevice('wasm');
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
