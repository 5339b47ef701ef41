import type { Report } from './report.js';

/** Settings every demo receives from the CLI. */
export interface DemoSettings {
  /** Seed for every random number the demo draws. */
  readonly seed: number;
  /** Training epochs, for demos that train. */
  readonly epochs: number | undefined;
  /** Small sizes for a fast check (used by the end-to-end test). */
  readonly quick: boolean;
  /** Directory for data files that the demo may read (defaults per dataset). */
  readonly dataPath: string | undefined;
}

/** One runnable part of the lecture. */
export interface Demo {
  readonly name: string;
  /** One line for `pnpm demo`. */
  readonly summary: string;
  /** Included in `pnpm demo all`. */
  readonly fast: boolean;
  /** Default epochs when the demo trains (enables --epochs). */
  readonly defaultEpochs?: number;
  /** Prints what the lecture shows and writes pictures through the report. */
  run(report: Report, settings: DemoSettings): Promise<void>;
}
