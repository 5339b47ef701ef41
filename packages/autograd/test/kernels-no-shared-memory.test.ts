/**
 * Where shared WebAssembly memory cannot be created (a browser page without cross-origin isolation), the
 * SIMD kernels stand down and the TypeScript kernels compute the same products.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('without shared WebAssembly memory', () => {
  it('matmul, tidy and Adam still work, on the TypeScript kernels', async () => {
    // The project's lib settings do not declare WebAssembly; this is the part the runtime uses.
    const wasm = (globalThis as unknown as { WebAssembly: Record<string, unknown> }).WebAssembly;
    const Memory = wasm.Memory as new (descriptor: { shared?: boolean }) => object;
    vi.stubGlobal('WebAssembly', {
      validate: wasm.validate,
      Module: wasm.Module,
      Instance: wasm.Instance,
      Memory: function (descriptor: { shared?: boolean }) {
        if (descriptor.shared) throw new TypeError('shared memory needs cross-origin isolation');
        return new Memory(descriptor);
      },
    });
    vi.resetModules();
    const runtime = await import('../src/kernels/wasm/runtime.js');
    const { wasmGemms } = await import('../src/kernels/wasm/gemmRunner.js');
    const { matmul, tensor, tidy } = await import('../src/index.js');
    expect(wasmGemms()).toBeNull();
    expect(runtime.wasmArray('float32', 100)).toBeUndefined();
    const a = tensor(
      Float32Array.from({ length: 64 * 40 }, (_, i) => (i % 7) - 3),
      { shape: [64, 40] },
    );
    const b = tensor(
      Float32Array.from({ length: 40 * 16 }, (_, i) => (i % 5) - 2),
      { shape: [40, 16] },
    );
    const product = tidy(
      () => matmul(a, b),
      (r) => [r],
    );
    // Small integers: every sum is exact in float32, whatever the order.
    let expected = 0;
    for (let p = 0; p < 40; p++) expected += a.data[p] * b.data[p * 16];
    expect(product.data[0]).toBe(expected);
    expect(product.data.buffer).toBeInstanceOf(ArrayBuffer);
  });
});
