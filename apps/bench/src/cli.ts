/**
 * `pnpm bench [--smoke] [--runs N] [--engines a,b] [--workloads a,b] [--json file] [--california file]`:
 * runs the comparison and prints Markdown tables; the JSON report goes to `--json` (written atomically).
 */
import writeFileAtomic from 'write-file-atomic';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { format } from 'prettier';
import { benchConfig } from './config.js';
import { jsEngines } from './peers.js';
import type { WorkloadName } from './results.js';
import { toMarkdown } from './report.js';
import { runBench } from './run.js';

const allEngines = [...jsEngines, 'pytorch', 'python'];
const allWorkloads: WorkloadName[] = ['mnist', 'matmul', 'micrograd', 'california'];

function listOf<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T[] => {
    const items = value.split(',').map((s) => s.trim());
    const bad = items.filter((s) => !allowed.includes(s as T));
    if (bad.length)
      throw new InvalidArgumentError(`unknown ${what} ${bad.join(', ')}; use ${allowed.join(', ')}`);
    return items as T[];
  };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** The California file beside the checkout (shared/data), when present. */
function defaultCaliforniaPath(): string | undefined {
  const candidate = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/cal_housing.data');
  return existsSync(candidate) ? candidate : undefined;
}

const program = new Command('bench')
  .description('chainrule vs TensorFlow.js (wasm, cpu), jax-js and PyTorch on the same workloads')
  .option('--smoke', 'tiny sizes, one run: checks the harness in seconds')
  .option(
    '--runs <n>',
    'repetitions whose median is reported (training workloads: in rounds of all engines)',
    positiveInt,
  )
  .option(
    '--engines <list>',
    `comma-separated, from ${allEngines.join(', ')}`,
    listOf(allEngines, 'engine'),
    allEngines,
  )
  .option(
    '--workloads <list>',
    `comma-separated, from ${allWorkloads.join(', ')}`,
    listOf(allWorkloads, 'workload'),
    allWorkloads,
  )
  .option('--json <file>', 'write the JSON report here')
  .option('--california <file>', 'cal_housing.data or cal_housing.tgz for the full California workload')
  .action(
    async (opts: {
      smoke?: boolean;
      runs?: number;
      engines: string[];
      workloads: WorkloadName[];
      json?: string;
      california?: string;
    }) => {
      const config = benchConfig(Boolean(opts.smoke), opts.runs);
      // pnpm runs this script inside apps/bench; paths on the command line are relative to where it was started.
      const fromInvocation = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
      const report = await runBench({
        config,
        engines: opts.engines,
        workloads: opts.workloads,
        californiaPath: opts.california ? fromInvocation(opts.california) : defaultCaliforniaPath(),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(toMarkdown(report));
      if (opts.json) {
        const target = fromInvocation(opts.json);
        // Formatted as the repository's prettier check wants it, so a committed report passes lint.
        writeFileAtomic.sync(target, await format(JSON.stringify(report), { parser: 'json' }));
      }
    },
  );

await program.parseAsync();
