/**
 * When kernel calls use the helper thread: the mode set by the user, and per call, the measured choice of
 * `ThreadChooser` (shared by the GEMMs and Adam's update, whose calls it tells apart by a key per shape).
 */
import type { Helper } from './threads.js';
import { ThreadChooser } from './threads.js';
import { compiled } from './runtime.js';

/**
 * When large kernel calls (matrix products, Adam's update) use the second thread: `auto` (the default) where
 * the measured times of recent calls of the same kernel and shape say it pays, `always` for every call large
 * enough, `never`. Results are bit-identical in every mode: each part of the output is computed by the same
 * instructions whichever thread takes it.
 */
export type KernelThreadMode = 'auto' | 'always' | 'never';

let mode: KernelThreadMode = 'auto';
const chooser = new ThreadChooser();

/** Sets when large kernel calls use the second thread (see `KernelThreadMode`). */
export function setKernelThreads(threads: KernelThreadMode): void {
  mode = threads;
}

/** True when large kernel calls can use the second thread now (the helper starts in the background). */
export function kernelThreadsReady(): boolean {
  return mode !== 'never' && Boolean(compiled()?.helper?.ready());
}

/**
 * The helper for a call large enough to share, or null when the call should run on the calling thread alone.
 * `key` names the kernel and its sizes; report the call's time with `recordCall`. `bias` (see
 * `ThreadChooser.useHelper`) favours the helper for calls whose split pays more than their own time shows.
 */
export function chooseHelper(helper: Helper | null, key: string, bias = 1): Helper | null {
  if (mode === 'never' || !helper?.ready()) return null;
  return mode === 'always' || chooser.useHelper(key, bias) ? helper : null;
}

/** Reports the time of a call that `chooseHelper` was asked about (it started at `started`, performance.now). */
export function recordCall(key: string, helped: boolean, started: number): void {
  if (mode === 'auto') chooser.record(key, helped, performance.now() - started);
}
