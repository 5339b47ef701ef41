/**
 * Repeated training runs. The host's speed drifts by tens of percent over minutes (PyTorch's MNIST epoch ranged
 * 0.62–0.98 s across runs of one evening), so a training workload timed once per engine compares the engines
 * under different conditions. With `runs` above one, the bench trains each engine that many times in rounds —
 * every engine once per round, in an order rotated each round — and reports the median run: each engine then
 * meets the same slow spells about equally often.
 */
import { median } from './arrays.js';
import type { MnistResult, WorkloadName } from './results.js';

/** The workloads timed as whole training runs, which the bench repeats in rounds. */
export const trainingWorkloads: readonly WorkloadName[] = ['mnist', 'california'];

/** `items` rotated left by `round` places: round 0 keeps the order, round 1 starts with the second item. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const k = items.length ? round % items.length : 0;
  return [...items.slice(k), ...items.slice(0, k)];
}

/**
 * The median run of several, by `seconds`, with every run under `runs` (in the order they ran): the lower
 * middle one for an even count, so that the figures reported side by side (time, accuracy, peak RSS) all come
 * from one run that really happened.
 */
export function combineRuns<T extends object>(
  runs: readonly T[],
  seconds: (run: T) => number,
): T & { runs: readonly T[] } {
  const times = runs.map(seconds);
  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  return { ...runs[order[(runs.length - 1) >> 1]], runs };
}

/** Seconds that rank MNIST runs: the median epoch of each. */
export const mnistRunSeconds = (run: MnistResult): number => median(run.epochSeconds);
