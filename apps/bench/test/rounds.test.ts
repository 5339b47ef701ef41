import { describe, expect, it } from 'vitest';
import { benchConfig } from '../src/config.js';
import type { BenchReport } from '../src/run.js';
import { runBench } from '../src/run.js';
import { toMarkdown } from '../src/report.js';
import type { MnistResult } from '../src/results.js';
import { combineRuns, mnistRunSeconds, rotated } from '../src/rounds.js';

const run = (epochSeconds: number[], peakRssMiB = 100): MnistResult => ({
  epochSeconds,
  testAccuracy: 0.97,
  peakRssMiB,
});

describe('training runs in rounds', () => {
  it('rotates the engine order by one place per round', () => {
    const engines = ['chainrule', 'tfjs-wasm', 'pytorch'];
    expect(rotated(engines, 0)).toEqual(engines);
    expect(rotated(engines, 1)).toEqual(['tfjs-wasm', 'pytorch', 'chainrule']);
    expect(rotated(engines, 2)).toEqual(['pytorch', 'chainrule', 'tfjs-wasm']);
    expect(rotated(engines, 3)).toEqual(engines);
    expect(rotated([], 2)).toEqual([]);
  });

  it('reports the run with the median time, every figure from that one run, and keeps all runs', () => {
    const slow = run([2, 1.5, 1.4], 300);
    const fast = run([1, 0.6, 0.7], 100);
    const middle = run([1.2, 0.9, 0.8], 200);
    const combined = combineRuns([slow, fast, middle], mnistRunSeconds);
    expect(combined.epochSeconds).toEqual(middle.epochSeconds);
    expect(combined.peakRssMiB).toBe(200);
    expect(combined.runs).toEqual([slow, fast, middle]);
    expect(mnistRunSeconds(combined)).toBe(0.9);
  });

  it('takes the lower middle run of an even count, so the figure is a run that happened', () => {
    const combined = combineRuns(
      [{ seconds: 4 }, { seconds: 1 }, { seconds: 3 }, { seconds: 2 }],
      (r) => r.seconds,
    );
    expect(combined.seconds).toBe(2);
    expect(combined.runs.map((r) => r.seconds)).toEqual([4, 1, 3, 2]);
  });

  it('lists each run in the Markdown tables', () => {
    const config = benchConfig(false, 3);
    const mnist = combineRuns([run([1, 0.7, 0.7]), run([1, 0.9, 0.8]), run([1, 0.6, 0.6])], mnistRunSeconds);
    const california = combineRuns(
      [
        { seconds: 10, testR2: 0.8 },
        { seconds: 12, testR2: 0.8 },
        { seconds: 9, testR2: 0.8 },
      ],
      (r) => r.seconds,
    );
    const report: BenchReport = {
      machine: { cpu: 'test', cores: 2, memoryGiB: 4, os: 'test', node: '20', date: 'today' },
      config,
      californiaSource: 'test',
      engines: [{ engine: 'chainrule', version: '0', results: { mnist, california } }],
    };
    const md = toMarkdown(report);
    expect(md).toContain('3 runs in rounds of all engines, the median run shown');
    expect(md).toContain('| chainrule | 0.70 | 0.70 · 0.90 · 0.60 |');
    expect(md).toContain('| chainrule | 10.00 | 10.00 · 12.00 · 9.00 |');
  });

  it('runs each training workload of every engine once per round and other workloads once', async () => {
    const lines: string[] = [];
    const report = await runBench({
      config: benchConfig(true, 2),
      engines: ['chainrule', 'plain-js'],
      workloads: ['mnist', 'micrograd'],
      log: (line) => lines.push(line),
    });
    expect(lines.filter((l) => l.startsWith('running'))).toEqual([
      'running chainrule: mnist (run 1 of 2)',
      // plain JS has no MNIST (its result is null), so the second round does not ask it again.
      'running plain-js: mnist (run 1 of 2)',
      'running chainrule: mnist (run 2 of 2)',
      'running chainrule: micrograd',
      'running plain-js: micrograd',
    ]);
    const [ours, plain] = report.engines;
    const mnist = ours.results.mnist!;
    expect(mnist.runs).toHaveLength(2);
    // Same seed, same data: both runs trained the same network.
    expect(mnist.runs![0].testAccuracy).toBe(mnist.runs![1].testAccuracy);
    expect(mnist.runs).toContainEqual({
      epochSeconds: mnist.epochSeconds,
      testAccuracy: mnist.testAccuracy,
      peakRssMiB: mnist.peakRssMiB,
    });
    expect(plain.results.mnist).toBeNull();
    expect(ours.results.micrograd!.finalLoss).toBe(plain.results.micrograd!.finalLoss);
  }, 180_000);

  it('notes a failed run under the engine and does not repeat it', async () => {
    const lines: string[] = [];
    const report = await runBench({
      config: benchConfig(true, 2),
      engines: ['no-such-engine'],
      workloads: ['mnist'],
      log: (line) => lines.push(line),
    });
    expect(lines.filter((l) => l.startsWith('running'))).toEqual([
      'running no-such-engine: mnist (run 1 of 2)',
    ]);
    expect(report.engines[0].note).toMatch(/^mnist failed: /);
    expect(report.engines[0].results).toEqual({});
  }, 60_000);
});
