/**
 * Runs the whole comparison: writes the shared data, runs every engine in its own process, and collects the
 * results with the machine description.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchConfig } from './config.js';
import { writeData } from './data.js';
import type { MachineInfo } from './machine.js';
import { machineInfo } from './machine.js';
import type { ChildOutput } from './peers.js';
import { findPython, findTorchPython, runJs, runMicrogradPython, runTorch } from './peers.js';
import type { WorkloadName, WorkloadResults } from './results.js';

/** One engine's outcome: its version and results, or why it did not run. */
export interface EngineReport {
  readonly engine: string;
  readonly version?: string;
  readonly results: Partial<WorkloadResults>;
  readonly note?: string;
}

/** Everything one run measured. */
export interface BenchReport {
  readonly machine: MachineInfo;
  readonly config: BenchConfig;
  readonly californiaSource: string;
  /** Seconds the datasets package took to load the MNIST training images (absent in older reports). */
  readonly mnistLoadSeconds?: number;
  readonly engines: readonly EngineReport[];
}

/** What to run. */
export interface RunOptions {
  readonly config: BenchConfig;
  readonly engines: readonly string[];
  readonly workloads: readonly WorkloadName[];
  /** `cal_housing.data` or `.tgz` for the full California workload (else the datasets cache or download). */
  readonly californiaPath?: string;
  /** Called with a line of progress. */
  readonly log?: (line: string) => void;
}

function report(engine: string, out: ChildOutput | null, note?: string): EngineReport {
  return { engine, version: out?.version, results: (out?.results ?? {}) as Partial<WorkloadResults>, note };
}

async function attempt(engine: string, fn: () => Promise<ChildOutput>): Promise<EngineReport> {
  try {
    return report(engine, await fn());
  } catch (error) {
    return report(engine, null, `failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Runs the benchmark and returns its report. */
export async function runBench(options: RunOptions): Promise<BenchReport> {
  const { config, workloads } = options;
  const log = options.log ?? (() => {});
  const timeout = config.smoke ? 180_000 : 6 * 3600_000;
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-bench-'));
  try {
    log(`writing data to ${dir}`);
    const manifest = await writeData(config, dir, options.californiaPath);
    const engines: EngineReport[] = [];
    for (const engine of options.engines) {
      if (engine === 'pytorch') {
        const python = await findTorchPython();
        const torchWork = workloads.filter((w) => w !== 'micrograd');
        if (!python)
          engines.push(
            report(
              'pytorch',
              null,
              'skipped: no python3 that can import torch (apt-get install python3-torch)',
            ),
          );
        else if (torchWork.length) {
          log('running pytorch');
          engines.push(await attempt('pytorch', () => runTorch(python, torchWork, dir, config, timeout)));
        }
      } else if (engine === 'python') {
        const python = await findPython();
        if (!workloads.includes('micrograd')) continue;
        if (!python) engines.push(report('python', null, 'skipped: no python3'));
        else {
          log('running pure-Python micrograd');
          engines.push(await attempt('python', () => runMicrogradPython(python, dir, config, timeout)));
        }
      } else {
        log(`running ${engine}`);
        engines.push(await attempt(engine, () => runJs(engine, workloads, dir, config, timeout)));
      }
    }
    return {
      machine: machineInfo(),
      config,
      californiaSource: manifest.californiaSource,
      mnistLoadSeconds: manifest.mnistLoadSeconds,
      engines,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
