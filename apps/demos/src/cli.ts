/**
 * `pnpm demo` lists the demos; `pnpm demo <name> [options]` runs one; `pnpm demo all` runs the fast ones.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { Demo } from './demo.js';
import { demos } from './registry.js';
import { runDemo } from './run.js';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return n;
}

interface CliOptions {
  readonly seed: number;
  readonly out?: string;
  readonly epochs?: number;
  readonly quick?: boolean;
  readonly data?: string;
}

const print = (line: string) => console.log(line);

function settings(demo: Demo, o: CliOptions, out: string | undefined) {
  return {
    seed: o.seed,
    epochs: demo.defaultEpochs === undefined ? undefined : (o.epochs ?? demo.defaultEpochs),
    quick: o.quick ?? false,
    dataPath: o.data,
    out,
    print,
  };
}

function list(): void {
  console.log('chainrule demos — run one with `pnpm demo <name>` (add --help for its options):\n');
  const width = Math.max(...demos.map((d) => d.name.length));
  for (const d of demos) console.log(`  ${d.name.padEnd(width)}  ${d.summary}${d.fast ? '' : ' (slow)'}`);
  console.log(`\n  ${'all'.padEnd(width)}  run every demo not marked slow`);
}

const program = new Command('demo')
  .description('The deep-learning lecture, reproduced with chainrule')
  .showHelpAfterError();

for (const demo of demos) {
  const command = program
    .command(demo.name)
    .description(demo.summary)
    .option('--seed <n>', 'seed for every random number', integer, 42)
    .option('--out <dir>', `output directory (default out/${demo.name})`)
    .option('--quick', 'small settings for a fast check')
    .option('--data <path>', 'a local copy of the data set, where the demo reads one');
  if (demo.defaultEpochs !== undefined)
    command.option('--epochs <n>', `training epochs (default ${demo.defaultEpochs})`, integer);
  command.action(async (o: CliOptions) => {
    await runDemo(demo, settings(demo, o, o.out));
  });
}

program
  .command('all')
  .description('run every demo not marked slow, each into <out>/<name>')
  .option('--seed <n>', 'seed for every random number', integer, 42)
  .option('--out <dir>', 'parent output directory', 'out')
  .option('--quick', 'small settings for a fast check')
  .option('--data <path>', 'a local copy of the data set, where the demo reads one')
  .action(async (o: CliOptions & { out: string }) => {
    for (const demo of demos.filter((d) => d.fast)) {
      console.log(`\n##### ${demo.name} #####`);
      await runDemo(demo, settings(demo, o, `${o.out}/${demo.name}`));
    }
  });

program.action(list);

await program.parseAsync(process.argv);
