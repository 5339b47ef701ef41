/**
 * Runs the whole comparison: writes the shared data, runs every engine's workloads in processes of their own,
 * and collects the results with the machine description.
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
import { combineWorkloadRuns, isTrainingWorkload, rotated } from './rounds.js';

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

/** How the bench runs one engine: the workloads it has, or why it is skipped. */
interface EngineRunner {
  /** Why the engine cannot run here (it is then reported with this note and no results). */
  readonly skipped?: string;
  handles(workload: WorkloadName): boolean;
  run(workload: WorkloadName): Promise<ChildOutput>;
}

/** A runner for an engine that cannot run here: it reports `reason` and runs nothing. */
function skippedRunner(reason: string, handles: (workload: WorkloadName) => boolean): EngineRunner {
  return { skipped: reason, handles, run: () => Promise.reject(new Error(reason)) };
}

/** How to run `engine`: PyTorch and the pure-Python micrograd through a python3, the others in Node. */
async function runnerFor(
  engine: string,
  dir: string,
  config: BenchConfig,
  timeout: number,
): Promise<EngineRunner> {
  if (engine === 'pytorch') {
    const python = await findTorchPython();
    const handles = (w: WorkloadName) => w !== 'micrograd';
    if (!python)
      return skippedRunner(
        'skipped: no python3 that can import torch (apt-get install python3-torch)',
        handles,
      );
    return { handles, run: (w) => runTorch(python, [w], dir, config, timeout) };
  }
  if (engine === 'python') {
    const python = await findPython();
    const handles = (w: WorkloadName) => w === 'micrograd';
    if (!python) return skippedRunner('skipped: no python3', handles);
    return { handles, run: () => runMicrogradPython(python, dir, config, timeout) };
  }
  return { handles: () => true, run: (w) => runJs(engine, [w], dir, config, timeout) };
}

/** What one engine has produced so far. */
interface EngineRecord {
  version?: string;
  readonly notes: string[];
  /** Each workload's runs (null: the engine does not have it). */
  readonly runs: Map<WorkloadName, unknown[]>;
}

function report(engine: string, record: EngineRecord, skipped?: string): EngineReport {
  const results: Partial<Record<WorkloadName, unknown>> = {};
  for (const [workload, runs] of record.runs) results[workload] = combineWorkloadRuns(workload, runs);
  const notes = skipped ? [skipped] : record.notes;
  return {
    engine,
    version: record.version,
    results: results as Partial<WorkloadResults>,
    note: notes.length ? notes.join('; ') : undefined,
  };
}

/**
 * Runs the benchmark and returns its report. Workload by workload, every engine runs it in a process of its
 * own; training workloads run `config.runs` times, in rounds of all engines (`rounds.ts`).
 */
export async function runBench(options: RunOptions): Promise<BenchReport> {
  const { config, workloads } = options;
  const log = options.log ?? (() => {});
  const timeout = config.smoke ? 180_000 : 6 * 3600_000;
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-bench-'));
  try {
    log(`writing data to ${dir}`);
    const manifest = await writeData(config, dir, options.californiaPath);
    const runners = new Map<string, EngineRunner>();
    const records = new Map<string, EngineRecord>();
    for (const engine of options.engines) {
      runners.set(engine, await runnerFor(engine, dir, config, timeout));
      records.set(engine, { notes: [], runs: new Map() });
    }
    for (const workload of workloads) {
      const rounds = isTrainingWorkload(workload) ? config.runs : 1;
      for (let round = 0; round < rounds; round++) {
        for (const engine of rotated(options.engines, round)) {
          const runner = runners.get(engine)!;
          const record = records.get(engine)!;
          const runs = record.runs.get(workload);
          // Skipped engines run nothing; an engine without the workload (null) or whose run failed runs it once.
          if (runner.skipped || !runner.handles(workload) || (round > 0 && !runs?.[0])) continue;
          log(`running ${engine}: ${workload}${rounds > 1 ? ` (run ${round + 1} of ${rounds})` : ''}`);
          try {
            const out = await runner.run(workload);
            record.version = out.version;
            const result = out.results[workload] ?? null;
            if (runs) runs.push(result);
            else record.runs.set(workload, [result]);
          } catch (error) {
            record.notes.push(`${workload} failed: ${(error as Error).message.split('\n')[0]}`);
          }
        }
      }
    }
    const engines = options.engines.flatMap((engine) => {
      const runner = runners.get(engine)!;
      // An engine is reported when it ran something or would have: a skipped one says why.
      if (!workloads.some((w) => runner.handles(w))) return [];
      return [report(engine, records.get(engine)!, runner.skipped)];
    });
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
