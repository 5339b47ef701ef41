/**
 * Runs one engine's workload in a child process: JS engines through `worker.ts`, PyTorch and the pure-Python
 * micrograd through the scripts in `python/`. Each child prints one JSON line.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchConfig } from './config.js';
import type { MicrogradResult, WorkloadName } from './results.js';

const run = promisify(execFile);
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** Engines of the JS side. */
export const jsEngines = ['chainrule', 'tfjs-wasm', 'tfjs-cpu', 'jax-js', 'plain-js'] as const;

/** What a child reported. */
export interface ChildOutput {
  readonly version: string;
  readonly results: Partial<Record<WorkloadName, unknown>>;
}

async function jsonLine(
  command: string,
  args: readonly string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildOutput> {
  const { stdout } = await run(command, args, { timeout: timeoutMs, maxBuffer: 1 << 24, env });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildOutput;
}

/**
 * V8 flags of every JS engine's process: relaxed SIMD, standard WebAssembly that Node ≥ 22 enables by default
 * and Node 20 keeps behind this flag (chainrule's GEMM then uses FMA; every engine gets the same runtime).
 */
export const jsNodeFlags = ['--experimental-wasm-relaxed-simd'] as const;

/**
 * The engines whose micrograd builds a graph of one JS object per scalar op. Each step's graph (~8 MB in
 * chainrule) is live until its gradients are taken, and V8's default young generation (16 MiB semi-spaces) then
 * copies most of it at every scavenge; these engines' micrograd also runs once more with
 * `largeYoungGenerationFlags`, a setting of Node that users of scalar graphs can choose the same way.
 */
export const scalarGraphEngines: readonly string[] = ['chainrule', 'plain-js'];

/** Node flags of the second micrograd run of `scalarGraphEngines`: a 64 MiB young generation. */
export const largeYoungGenerationFlags = ['--max-semi-space-size=64'] as const;

/**
 * Runs each of `workloads` of a JS engine in a fresh Node process of its own: one workload's heap state must
 * not weigh on the next (after a training workload V8 had shrunk its young generation, and chainrule's scalar
 * micrograd that followed took 4.2–4.6 s instead of 2.6 s, with twice the scavenges).
 */
export async function runJs(
  engine: string,
  workloads: readonly WorkloadName[],
  dir: string,
  config: BenchConfig,
  timeoutMs: number,
): Promise<ChildOutput> {
  let version = '';
  const results: ChildOutput['results'] = {};
  const runWorker = (workload: WorkloadName, extraFlags: readonly string[]) =>
    jsonLine(
      process.execPath,
      [
        ...jsNodeFlags,
        ...extraFlags,
        '--import',
        'tsx',
        here('./worker.ts'),
        engine,
        workload,
        dir,
        JSON.stringify(config),
      ],
      timeoutMs,
    );
  for (const workload of workloads) {
    const out = await runWorker(workload, []);
    version = out.version;
    Object.assign(results, out.results);
    const first = out.results.micrograd as MicrogradResult | undefined;
    if (workload === 'micrograd' && first && scalarGraphEngines.includes(engine)) {
      const large = (await runWorker(workload, largeYoungGenerationFlags)).results
        .micrograd as MicrogradResult;
      results.micrograd = { ...first, secondsLargeYoungGeneration: large.seconds };
    }
  }
  return { version, results };
}

/** A Python 3 that can import torch, or null (PyTorch is then skipped with a note). */
export async function findTorchPython(): Promise<string | null> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      await run(python, ['-c', 'import torch, numpy'], { timeout: 60_000 });
      return python;
    } catch {
      // Try the next interpreter.
    }
  }
  return null;
}

/** A Python 3 at all (the pure-Python micrograd needs nothing else), or null. */
export async function findPython(): Promise<string | null> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      await run(python, ['-c', 'import sys'], { timeout: 30_000 });
      return python;
    } catch {
      // Try the next interpreter.
    }
  }
  return null;
}

/**
 * Runs `workloads` in PyTorch with `python`, on one thread: torch's own pool and the BLAS it calls (Debian's
 * python3-torch calls the system BLAS: the reference one, about 5 GFLOP/s, unless libopenblas0 is installed).
 */
export function runTorch(
  python: string,
  workloads: readonly WorkloadName[],
  dir: string,
  config: BenchConfig,
  timeoutMs: number,
) {
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  return jsonLine(
    python,
    [here('./python/torch_bench.py'), workloads.join(','), dir, JSON.stringify(config)],
    timeoutMs,
    env,
  );
}

/** Runs the pure-Python micrograd workload. */
export function runMicrogradPython(python: string, dir: string, config: BenchConfig, timeoutMs: number) {
  return jsonLine(python, [here('./python/micrograd_bench.py'), dir, JSON.stringify(config)], timeoutMs);
}
