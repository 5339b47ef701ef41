/**
 * A compiled function's buffers live in the kernels' WebAssembly memory, which the garbage collector cannot
 * take back: once it has taken the function, they must go to the buffer pool, or every `fit` would leave its
 * step's buffers behind. Alone in its file, so that no other test's compiled functions come back meanwhile.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { add, bufferPoolStats, jit, kernelFeatures, mul, tensor, tidy } from '../src/index.js';
import type { Tensor } from '../src/index.js';

describe('jit buffers', () => {
  it('go back to the buffer pool once the garbage collector has taken the compiled function', async () => {
    expect(kernelFeatures().webAssemblySimd).toBe(true); // buffers come from WebAssembly memory
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const length = 4099;
    (() => {
      const f = jit((x: Tensor) => mul(add(x, x), x)); // add(x, x) is computed into the plan's own array
      tidy(
        () => f(tensor(new Float32Array(length).fill(1))),
        () => [],
      );
    })();
    // Whatever else the trace and the call allocated went back to the pool when their scopes ended.
    const before = bufferPoolStats().pooledBytes;
    for (let i = 0; i < 20 && bufferPoolStats().pooledBytes === before; i++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(bufferPoolStats().pooledBytes - before).toBe(length * 4);
  });
});
