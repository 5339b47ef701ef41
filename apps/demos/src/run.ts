/**
 * Runs one demo into its output directory and reports how long it took.
 */
import { resolve } from 'node:path';
import type { Demo, DemoSettings } from './demo.js';
import { Report } from './report.js';

/** Options of one run. */
export interface RunOptions extends DemoSettings {
  /** Output directory; default `out/<name>` under the directory the command was started from. */
  readonly out: string | undefined;
  readonly print: (line: string) => void;
}

/** The directory the user ran the command from (pnpm runs scripts in the package, and sets INIT_CWD). */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** Runs `demo`, writes its index.html, and returns the output directory. */
export async function runDemo(demo: Demo, options: RunOptions): Promise<string> {
  const outDir = resolve(invocationDir(), options.out ?? `out/${demo.name}`);
  const report = new Report(`chainrule demo: ${demo.name}`, outDir, options.print);
  report.text(demo.summary);
  const started = performance.now();
  // Paths on the command line are relative to where the user started it, not to this package.
  await demo.run(report, {
    ...options,
    dataPath: options.dataPath && resolve(invocationDir(), options.dataPath),
  });
  report.text(`Wall time: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  report.finish();
  return outDir;
}
