/**
 * What a worker reports for one engine and one workload.
 */
import type { BenchConfig, MatmulShape } from './config.js';
import type { DataArrays } from './arrays.js';
import { accuracy, i32, median } from './arrays.js';

export type WorkloadName = 'mnist' | 'matmul' | 'micrograd' | 'california';

/**
 * MNIST 784-128-10: seconds per epoch (each epoch), test accuracy after the last one, peak RSS. With several
 * runs (see `rounds.ts`) these are the median run's, and `runs` holds every run.
 */
export interface MnistResult {
  readonly epochSeconds: readonly number[];
  readonly testAccuracy: number;
  readonly peakRssMiB: number;
  /** Every run, in the order they ran (absent from reports made before training runs were repeated). */
  readonly runs?: readonly MnistResult[];
}

/** GFLOP/s (2·m·n·k per product) of each configured shape, the median of the runs. */
export interface MatmulResult {
  readonly gflops: readonly number[];
  /** The same shapes held to one thread, for engines that choose their thread count themselves. */
  readonly oneThreadGflops?: readonly number[];
}

/** The scalar-graph workload: seconds (median of runs), final loss and training accuracy. */
export interface MicrogradResult {
  readonly seconds: number;
  readonly finalLoss: number;
  readonly accuracy: number;
  /**
   * For engines that build the scalar graph object by object in Node: the seconds of a second process run
   * with a 64 MiB young generation (`largeYoungGenerationFlags`); absent for the others and in older reports.
   */
  readonly secondsLargeYoungGeneration?: number;
}

/** California 8-64-64-1: total training seconds and test R² (of the median run when there are `runs`). */
export interface CaliforniaResult {
  readonly seconds: number;
  readonly testR2: number;
  /** Every run, in the order they ran (absent from reports made before training runs were repeated). */
  readonly runs?: readonly CaliforniaResult[];
}

/** Result types by workload. */
export interface WorkloadResults {
  mnist: MnistResult;
  matmul: MatmulResult;
  micrograd: MicrogradResult;
  california: CaliforniaResult;
}

/** An engine that runs in a Node worker process. Missing workloads are reported as not supported. */
export interface JsEngine {
  readonly name: string;
  /** Version text for the report. */
  version(): string;
  mnist?(arrays: DataArrays, config: BenchConfig): Promise<MnistResult>;
  matmul?(config: BenchConfig): Promise<MatmulResult>;
  micrograd?(arrays: DataArrays, config: BenchConfig): Promise<MicrogradResult>;
  california?(arrays: DataArrays, config: BenchConfig): Promise<CaliforniaResult>;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `fn` repeatedly for at least `seconds` (after one warm-up call) and returns seconds per call. */
export function timePerCall(fn: () => void, seconds: number): number {
  fn();
  let calls = 0;
  const start = performance.now();
  for (;;) {
    fn();
    calls++;
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= seconds) return elapsed / calls;
  }
}

/** Runs `fn` `runs` times: the median seconds and the last run's result (for the micrograd workloads). */
export function medianRun<T extends object>(runs: number, fn: () => T): T & { seconds: number } {
  const seconds: number[] = [];
  let last: T | undefined;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    last = fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return { ...(last as T), seconds: median(seconds) };
}

/** GFLOP/s of one product shape (2·m·n·k floating-point operations) from its timed runs (median). */
export function gflopsOf(s: MatmulShape, secondsPerCall: readonly number[]): number {
  return (2 * s.m * s.n * s.k) / median(secondsPerCall) / 1e9;
}

/** The MNIST report: per-epoch seconds, test accuracy of the 10-class `scores`, and the process's peak RSS. */
export function mnistResult(
  epochSeconds: readonly number[],
  scores: ArrayLike<number>,
  arrays: DataArrays,
): MnistResult {
  return {
    epochSeconds,
    testAccuracy: accuracy(scores, i32(arrays, 'mnist_y_test'), 10),
    peakRssMiB: peakRssMiB(),
  };
}
