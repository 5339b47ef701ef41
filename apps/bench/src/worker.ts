/**
 * Runs workloads of one JS engine in its own process and prints the results as one JSON line:
 * `tsx src/worker.ts <engine> <workload,...> <data dir> <config json>`. The bench gives each workload a process
 * of its own (`runJs`), so MNIST's peak RSS is the engine's own.
 */
import { readData } from './arrays.js';
import type { BenchConfig } from './config.js';
import type { JsEngine, WorkloadName } from './results.js';

async function engineNamed(name: string): Promise<JsEngine> {
  switch (name) {
    case 'chainrule':
      return (await import('./engines/chainrule.js')).chainrule;
    case 'tfjs-wasm':
      return (await import('./engines/tfjs.js')).tfjsEngine('wasm');
    case 'tfjs-cpu':
      return (await import('./engines/tfjs.js')).tfjsEngine('cpu');
    case 'jax-js':
      return (await import('./engines/jaxjs.js')).jaxjs;
    case 'plain-js':
      return (await import('./engines/plainjs.js')).plainJs;
    default:
      throw new Error(`bench: unknown engine '${name}'`);
  }
}

const [engineName, workloads, dir, configJson] = process.argv.slice(2);
const engine = await engineNamed(engineName);
const config = JSON.parse(configJson) as BenchConfig;
const { arrays } = readData(dir);
const runners: Record<WorkloadName, (() => Promise<unknown>) | undefined> = {
  mnist: engine.mnist && (() => engine.mnist!(arrays, config)),
  matmul: engine.matmul && (() => engine.matmul!(config)),
  micrograd: engine.micrograd && (() => engine.micrograd!(arrays, config)),
  california: engine.california && (() => engine.california!(arrays, config)),
};
const results: Record<string, unknown> = {};
for (const workload of workloads.split(',') as WorkloadName[]) {
  const runner = runners[workload];
  results[workload] = runner ? await runner() : null;
}
process.stdout.write(`${JSON.stringify({ version: engine.version(), results })}\n`);
