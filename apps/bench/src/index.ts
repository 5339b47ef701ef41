/**
 * @chainrule/bench — chainrule side by side with TensorFlow.js, jax-js and PyTorch. `pnpm bench` is the CLI;
 * these exports let a script run the same comparison and render it.
 */
export { benchConfig } from './config.js';
export type { BenchConfig, MatmulShape } from './config.js';
export { runBench } from './run.js';
export type { BenchReport, EngineReport, RunOptions } from './run.js';
export { toMarkdown } from './report.js';
export type { WorkloadName, WorkloadResults } from './results.js';
