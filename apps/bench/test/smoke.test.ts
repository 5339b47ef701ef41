import { describe, expect, it } from 'vitest';
import { benchConfig } from '../src/config.js';
import { toMarkdown } from '../src/report.js';
import { runBench } from '../src/run.js';

describe('bench smoke run', () => {
  it('runs every workload of chainrule, TensorFlow.js (wasm), jax-js and plain JS in child processes and reports them', async () => {
    const config = benchConfig(true);
    const report = await runBench({
      config,
      engines: ['chainrule', 'tfjs-wasm', 'jax-js', 'plain-js'],
      workloads: ['mnist', 'matmul', 'micrograd', 'california'],
    });
    const [ours, tfjs, jax, plain] = report.engines;
    for (const engine of report.engines) expect(engine.note).toBeUndefined();
    // Same data, same initial weights, same batch order: the engines agree on what they learned (float32
    // training of one epoch on 256 images; the accuracy is a count over 128 test images, so equal or one off).
    const accOurs = ours.results.mnist!.testAccuracy;
    const accTf = tfjs.results.mnist!.testAccuracy;
    expect(Math.abs(accOurs - accTf)).toBeLessThanOrEqual(1 / 128);
    expect(Math.abs(accOurs - jax.results.mnist!.testAccuracy)).toBeLessThanOrEqual(1 / 128);
    expect(ours.results.mnist!.peakRssMiB).toBeGreaterThan(10);
    expect(ours.results.matmul!.gflops).toHaveLength(config.matmul.length);
    for (const g of ours.results.matmul!.gflops) expect(g).toBeGreaterThan(0);
    expect(ours.results.matmul!.oneThreadGflops).toHaveLength(config.matmul.length);
    expect(Math.abs(ours.results.california!.testR2 - tfjs.results.california!.testR2)).toBeLessThan(1e-3);
    expect(Math.abs(ours.results.california!.testR2 - jax.results.california!.testR2)).toBeLessThan(1e-3);
    expect(ours.results.micrograd!.finalLoss).toBeGreaterThan(0);
    // jax-js runs micrograd's network vectorised in float32, chainrule one scalar at a time in float64: the
    // same numbers up to float32 rounding (measured 7e-8 relative after the 3 smoke steps; 1e-5 leaves room).
    const lossOurs = ours.results.micrograd!.finalLoss;
    expect(Math.abs(jax.results.micrograd!.finalLoss - lossOurs)).toBeLessThan(1e-5 * lossOurs);
    expect(jax.results.micrograd!.accuracy).toBe(ours.results.micrograd!.accuracy);
    // Plain JS does the same float64 operations in the same order, and its reverse pass (a depth-first
    // post-order, reversed) reaches each node's consumers newest first on this graph, as chainrule's latest-first
    // pass does: each gradient sums its contributions in the same order, so the same bits.
    expect(plain.results.micrograd).toMatchObject({
      finalLoss: lossOurs,
      accuracy: ours.results.micrograd!.accuracy,
    });
    expect(plain.results.mnist).toBeNull(); // micrograd only
    // The scalar-graph engines run micrograd a second time with a larger young generation; jax-js does not.
    expect(ours.results.micrograd!.secondsLargeYoungGeneration).toBeGreaterThan(0);
    expect(plain.results.micrograd!.secondsLargeYoungGeneration).toBeGreaterThan(0);
    expect(jax.results.micrograd!.secondsLargeYoungGeneration).toBeUndefined();
    const md = toMarkdown(report);
    expect(md).toContain('### MNIST 784-128-10');
    expect(md).toContain('| tfjs-wasm |');
    expect(md).toContain('| plain-js |');
    expect(md).toContain('| shape | chainrule | chainrule (1 thread) | tfjs-wasm | jax-js |');
    expect(md).toContain('(JS engines run with --experimental-wasm-relaxed-simd)');
    expect(report.mnistLoadSeconds).toBeGreaterThan(0);
    expect(md).toContain('| engine | seconds | seconds with --max-semi-space-size=64 | final loss |');
    expect(md).toContain(
      `Loading the ${config.mnist.train} training images (\`mnist()\` of @chainrule/datasets`,
    );
  }, 180_000);
});
