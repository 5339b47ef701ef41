/**
 * Repeated training runs. The host's speed drifts by tens of percent over minutes (PyTorch's MNIST epoch ranged
 * 0.62–0.98 s across runs of one evening), so a training workload timed once per engine compares the engines
 * under different conditions. With `runs` above one, the bench trains each engine that many times in rounds —
 * every engine once per round, in an order rotated each round — and reports the median run: each engine then
 * meets the same slow spells about equally often.
 */
import { median } from './arrays.js';
import type { CaliforniaResult, MnistResult, WorkloadName } from './results.js';

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

/** The workloads timed as whole training runs, which the bench repeats in rounds, and how their runs rank. */
const runSeconds = {
  mnist: mnistRunSeconds,
  california: (run: CaliforniaResult) => run.seconds,
} as const;

/** True for a workload the bench repeats in rounds. */
export function isTrainingWorkload(workload: WorkloadName): workload is keyof typeof runSeconds {
  return workload in runSeconds;
}

/**
 * One workload's result from its runs (null when the engine lacks the workload): the median run of repeated
 * training runs, or the single run of any other workload.
 */
export function combineWorkloadRuns(workload: WorkloadName, runs: readonly unknown[]): unknown {
  if (runs.length === 1 || runs[0] === null || !isTrainingWorkload(workload)) return runs[0];
  const seconds = runSeconds[workload] as (run: object) => number;
  return combineRuns(runs as object[], seconds);
}
