/**
 * Markdown tables of a report: one per workload, each engine's figure and chainrule's ratio to it.
 */
import type { BenchReport, EngineReport } from './run.js';
import type { MicrogradResult, WorkloadName, WorkloadResults } from './results.js';
import { largeYoungGenerationFlags } from './peers.js';
import { mnistRunSeconds } from './rounds.js';

const fmt = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : '—');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function withResult<W extends WorkloadName>(report: BenchReport, w: W): [EngineReport, WorkloadResults[W]][] {
  return report.engines.flatMap((e) => {
    const r = e.results[w];
    return r ? [[e, r as WorkloadResults[W]] as [EngineReport, WorkloadResults[W]]] : [];
  });
}

/** "3 runs in rounds, the median run shown" or "1 run". */
function runs(count: number): string {
  return count > 1 ? `${count} runs in rounds of all engines, the median run shown` : '1 run';
}

/** The seconds of every run of a repeated training workload, in the order they ran. */
function eachRun<T extends { readonly runs?: readonly T[] }>(result: T, seconds: (run: T) => number): string {
  return (result.runs ?? [result]).map((run) => fmt(seconds(run))).join(' · ');
}

/** "how many times faster chainrule is" for a time (lower is better). */
function speedup(ours: number | undefined, theirs: number): string {
  return ours === undefined ? '—' : `${fmt(theirs / ours)}×`;
}

/** The report as Markdown. */
export function toMarkdown(report: BenchReport): string {
  const { machine, config } = report;
  const parts: string[] = [];
  parts.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}` +
      (machine.nodeFlags?.length ? ` (JS engines run with ${machine.nodeFlags.join(' ')})` : '') +
      '; ' +
      `${config.smoke ? 'smoke run (tiny sizes)' : 'full run'} on ${machine.date}.`,
  );
  parts.push(
    report.engines.map((e) => `- ${e.engine}: ${e.version ?? ''}${e.note ? ` (${e.note})` : ''}`).join('\n'),
  );

  const mnist = withResult(report, 'mnist');
  const ours = mnist.find(([e]) => e.engine === 'chainrule')?.[1];
  if (mnist.length) {
    const m = config.mnist;
    parts.push(
      `### MNIST 784-128-10, Adam 1e-3, batch ${m.batch}: ${m.train} training images, ${m.epochs} epoch(s), ${runs(config.runs)}`,
    );
    parts.push(
      table(
        [
          'engine',
          's / epoch (median)',
          'each run (median epoch)',
          'ms / step',
          `test accuracy`,
          'peak RSS MiB',
          'chainrule is faster by',
        ],
        mnist.map(([e, r]) => {
          const s = mnistRunSeconds(r);
          const steps = Math.ceil(m.train / m.batch);
          return [
            e.engine,
            fmt(s),
            eachRun(r, mnistRunSeconds),
            fmt((s / steps) * 1000),
            fmt(r.testAccuracy, 4),
            fmt(r.peakRssMiB, 0),
            speedup(ours && mnistRunSeconds(ours), s),
          ];
        }),
      ),
    );
    if (report.mnistLoadSeconds !== undefined) {
      parts.push(
        `Loading the ${m.train} training images (\`mnist()\` of @chainrule/datasets: IDX file to float32 in ` +
          `[0, 1]) took ${fmt(report.mnistLoadSeconds, 3)} s; its budget is under a second.`,
      );
    }
  }

  const matmul = withResult(report, 'matmul');
  if (matmul.length) {
    parts.push('### Matmul GFLOP/s (float32, median of runs; higher is better)');
    parts.push(
      table(
        [
          'shape',
          ...matmul.flatMap(([e, r]) =>
            r.oneThreadGflops ? [e.engine, `${e.engine} (1 thread)`] : [e.engine],
          ),
        ],
        config.matmul.map((s, i) => [
          s.label,
          ...matmul.flatMap(([, r]) => [
            fmt(r.gflops[i], 1),
            ...(r.oneThreadGflops ? [fmt(r.oneThreadGflops[i], 1)] : []),
          ]),
        ]),
      ),
    );
  }

  const micro = withResult(report, 'micrograd');
  const microOurs = micro.find(([e]) => e.engine === 'chainrule')?.[1];
  if (micro.length) {
    const c = config.micrograd;
    parts.push(`### micrograd: two moons (${c.points} points), 2-16-16-1 scalar MLP, ${c.steps} SGD steps`);
    const large = (r: MicrogradResult) =>
      r.secondsLargeYoungGeneration === undefined ? '' : fmt(r.secondsLargeYoungGeneration, 3);
    parts.push(
      table(
        [
          'engine',
          'seconds',
          `seconds with ${largeYoungGenerationFlags.join(' ')}`,
          'final loss',
          'accuracy',
          'chainrule is faster by',
        ],
        micro.map(([e, r]) => [
          e.engine,
          fmt(r.seconds, 3),
          large(r),
          fmt(r.finalLoss, 4),
          fmt(r.accuracy, 3),
          speedup(microOurs?.seconds, r.seconds),
        ]),
      ),
    );
  }

  const cal = withResult(report, 'california');
  const calOurs = cal.find(([e]) => e.engine === 'chainrule')?.[1];
  if (cal.length) {
    const c = config.california;
    parts.push(
      `### California housing 8-64-64-1, Adam 1e-3, batch ${c.batch}, ${c.epochs} epoch(s), ${runs(config.runs)} (${report.californiaSource})`,
    );
    parts.push(
      table(
        ['engine', 'seconds', 'each run', 'test R²', 'chainrule is faster by'],
        cal.map(([e, r]) => [
          e.engine,
          fmt(r.seconds),
          eachRun(r, (run) => run.seconds),
          fmt(r.testR2, 3),
          speedup(calOurs?.seconds, r.seconds),
        ]),
      ),
    );
  }
  return parts.join('\n\n') + '\n';
}
