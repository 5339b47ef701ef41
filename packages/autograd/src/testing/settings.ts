/**
 * Run settings for property suites: a fixed seed and a modest number of cases by default (deterministic CI),
 * and many more cases with a fresh random seed when CHAINRULE_FUZZ=1 (the `pnpm test:fuzz` run).
 * CHAINRULE_SEED replays a given seed in either mode.
 */
import { randomInt } from 'node:crypto';
import { ChainruleError } from '../index.js';

/** Seed and case count for one property. */
export interface RunSettings {
  readonly runSeed: number;
  readonly numRuns: number;
  readonly fuzz: boolean;
  /** A test timeout that fits the run: a minute normally, half an hour for a fuzz run. */
  readonly timeoutMs: number;
}

/** The fixed seed of deterministic runs. */
export const DEFAULT_RUN_SEED = 42;

/** How many times more cases a fuzz run draws (CHAINRULE_FUZZ_FACTOR overrides). */
const FUZZ_FACTOR = 20;

/** Settings for a property that draws `numRuns` cases in a normal run. */
export function runSettings(numRuns: number, env: NodeJS.ProcessEnv = process.env): RunSettings {
  const fuzz = env.CHAINRULE_FUZZ === '1' || env.CHAINRULE_FUZZ === 'true';
  let runSeed = fuzz ? randomInt(2 ** 31 - 1) : DEFAULT_RUN_SEED;
  if (env.CHAINRULE_SEED !== undefined) {
    runSeed = Number(env.CHAINRULE_SEED);
    if (!Number.isInteger(runSeed)) {
      throw new ChainruleError(
        'runSettings',
        `CHAINRULE_SEED=${env.CHAINRULE_SEED} is not an integer`,
        'e.g. CHAINRULE_SEED=42',
      );
    }
  }
  const factor = Number(env.CHAINRULE_FUZZ_FACTOR ?? FUZZ_FACTOR);
  return {
    runSeed,
    numRuns: fuzz ? Math.round(numRuns * factor) : numRuns,
    fuzz,
    timeoutMs: fuzz ? 30 * 60_000 : 60_000,
  };
}
