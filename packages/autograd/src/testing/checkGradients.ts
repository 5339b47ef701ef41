/**
 * checkGradients: gradcheck as a fast-check property. One line in a test draws many inputs (or whole
 * functions), skips points that sit on a kink, and on failure shrinks to a minimal case and prints it as
 * code that can be pasted into a test.
 */
import fc from 'fast-check';
import { ChainruleError, variable } from '../index.js';
import type { Tensor } from '../index.js';
import { caseCode } from './code.js';
import { gradcheck } from './gradcheck.js';
import type { GradcheckOptions, TensorFunction } from './gradcheck.js';
import { unsuitablePoint } from './kinks.js';
import type { PointOptions } from './kinks.js';

/** A function and the inputs to check it at. */
export interface GradientCase {
  readonly f: TensorFunction;
  readonly inputs: readonly Tensor[];
}

/** Options of checkGradients: gradcheck's, the run's, and which points to skip. */
export interface CheckGradientsOptions extends Omit<GradcheckOptions, 'throwOnFailure'>, PointOptions {
  /** fast-check seed (default 42, so a test is deterministic); printed on failure. */
  readonly runSeed?: number;
  /** Number of cases (default 100). */
  readonly numRuns?: number;
  /** Replays one failing case: the `path` printed with a failure (together with its seed). */
  readonly path?: string;
  /** Called with each case that was checked and passed (not with skipped ones), e.g. to measure coverage. */
  readonly onChecked?: (c: GradientCase) => void;
}

/** Thrown when a gradient property fails; carries the shrunk case and how to replay the run. */
export class GradientPropertyError extends ChainruleError {
  override readonly name = 'GradientPropertyError';
  /** The smallest failing case fast-check found, or null when no case could be run. */
  readonly counterexample: GradientCase | null;
  readonly runSeed: number;
  readonly path: string | null;
  /** The error the smallest case threw (usually a GradcheckError). */
  readonly failure: unknown;

  constructor(details: fc.RunDetails<[GradientCase]>, options: CheckGradientsOptions) {
    const example = details.counterexample?.[0] ?? null;
    const failure = details.errorInstance;
    const replay = `{ runSeed: ${details.seed}, path: '${details.counterexamplePath ?? ''}' }`;
    const problem = example
      ? `failed after ${details.numRuns} cases and ${details.numShrinks} shrinks (seed ${details.seed}).\n` +
        `Smallest failing case, as code:\n\n${caseCode(example.f, example.inputs, checkOptionsLiteral(options))}\n\n` +
        `${failure instanceof Error ? failure.message : String(failure)}`
      : `could not run (seed ${details.seed}): ${failure instanceof Error ? failure.message : String(failure ?? 'every drawn point was skipped')}`;
    super(
      'checkGradients',
      problem,
      example
        ? `replay exactly this case with checkGradients(..., ${replay})`
        : 'draw inputs further from kinks, or raise the margin',
    );
    this.counterexample = example;
    this.runSeed = details.seed;
    this.path = details.counterexamplePath;
    this.failure = failure;
  }
}

function checkOptionsLiteral(o: CheckGradientsOptions): string {
  const keys = ['order', 'eps', 'atol', 'rtol', 'seed'] as const;
  const parts = keys.flatMap((k) => (o[k] === undefined ? [] : [`${k}: ${JSON.stringify(o[k])}`]));
  return `{ ${parts.join(', ')} }`;
}

/** Checks one case: skips it (fast-check precondition) when it sits near a kink, else runs gradcheck. */
function checkCase(c: GradientCase, options: CheckGradientsOptions): void {
  const probe = c.f(...c.inputs.map((x) => (x.dtype === 'int32' ? x : variable(x))));
  fc.pre(unsuitablePoint(probe, options) === null);
  gradcheck(c.f, c.inputs, { ...options, throwOnFailure: true });
  options.onChecked?.(c);
}

/**
 * Property-based gradcheck. Either `checkGradients(f, inputsArbitrary, options)` — f checked at many drawn
 * inputs — or `checkGradients(casesArbitrary, options)` with cases that carry their own function (e.g.
 * from `expression()` or `opCases()`). Points within `margin` of a declared kink are skipped. Throws a
 * GradientPropertyError with the shrunk case printed as code; returns the number of cases checked.
 */
export function checkGradients(
  f: TensorFunction,
  inputs: fc.Arbitrary<readonly Tensor[]>,
  options?: CheckGradientsOptions,
): number;
export function checkGradients(cases: fc.Arbitrary<GradientCase>, options?: CheckGradientsOptions): number;
export function checkGradients(
  first: TensorFunction | fc.Arbitrary<GradientCase>,
  second?: fc.Arbitrary<readonly Tensor[]> | CheckGradientsOptions,
  third?: CheckGradientsOptions,
): number {
  const cases =
    typeof first === 'function'
      ? (second as fc.Arbitrary<readonly Tensor[]>).map((inputs): GradientCase => ({ f: first, inputs }))
      : first;
  const options = (typeof first === 'function' ? third : (second as CheckGradientsOptions | undefined)) ?? {};
  const runSeed = options.runSeed ?? 42;
  const details = fc.check(
    fc.property(cases, (c) => checkCase(c, options)),
    { seed: runSeed, numRuns: options.numRuns ?? 100, path: options.path },
  );
  if (details.failed) throw new GradientPropertyError(details, options);
  return details.numRuns;
}
