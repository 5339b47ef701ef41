/**
 * What gradcheck reports: one comparison per (derivative order, mode, input), and the error it throws when a
 * comparison fails, written so that the failing element can be found without a debugger.
 */
import { ChainruleError, formatShape } from '../index.js';
import type { Shape } from '../index.js';
import { close } from './compare.js';
import type { Tolerance } from './compare.js';

/** How a derivative was obtained: reverse mode (vjp, `gradients`) or forward mode (jvp). */
export type DerivativeMode = 'reverse' | 'forward';

/** The element where analytic and numeric derivatives disagree most (relative to the tolerance). */
export interface WorstElement {
  /** Multi-index into the compared array (the input for reverse mode, the output for forward mode). */
  readonly index: readonly number[];
  readonly analytic: number;
  readonly numeric: number;
}

/** One comparison of an analytic derivative against central finite differences. */
export interface DerivativeCheck {
  /** 1 = gradient, 2 = derivative of the gradient, 3 = one more. */
  readonly order: number;
  readonly mode: DerivativeMode;
  /** Position of the input in the `inputs` array handed to gradcheck. */
  readonly input: number;
  /** Shape of the compared array: the input's shape (reverse) or the output's shape (forward). */
  readonly shape: Shape;
  readonly maxAbsError: number;
  readonly maxRelError: number;
  readonly worst: WorstElement | null;
  /**
   * Forward mode only: ⟨u, J·v⟩ from jvp and ⟨Jᵀ·u, v⟩ from vjp, which must agree whatever the finite
   * differences say (the inner-product identity).
   */
  readonly innerProduct?: { readonly jvp: number; readonly vjp: number; readonly passed: boolean };
  readonly passed: boolean;
}

/** The settings a check ran with and every comparison it made. */
export interface GradcheckReport {
  readonly passed: boolean;
  readonly eps: number;
  readonly atol: number;
  readonly rtol: number;
  readonly order: number;
  readonly checks: readonly DerivativeCheck[];
}

const ordinal = (k: number): string =>
  k === 1 ? 'first' : k === 2 ? 'second' : k === 3 ? 'third' : `${k}th`;

const fmt = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v));

/** True when the forward-mode values matched finite differences (so a broken identity blames the vjp). */
function jvpMatches(check: DerivativeCheck, tolerance: Tolerance): boolean {
  return check.worst === null || close(check.worst.analytic, check.worst.numeric, tolerance);
}

/** One paragraph describing a failed comparison. */
export function describeCheck(check: DerivativeCheck, report: GradcheckReport): string {
  const what = `${ordinal(check.order)} derivative, ${check.mode} mode, input ${check.input}`;
  const lines = [`${what} (compared array ${formatShape(check.shape)}):`];
  if (check.worst) {
    const { index, analytic, numeric } = check.worst;
    lines.push(
      `    worst element [${index.join(',')}]: analytic ${fmt(analytic)}, numeric ${fmt(numeric)}`,
      `    max abs error ${fmt(check.maxAbsError)}, max rel error ${fmt(check.maxRelError)}; allowed |a − n| ≤ ${report.atol} + ${report.rtol}·|n|`,
    );
  }
  if (check.innerProduct && !check.innerProduct.passed) {
    lines.push(
      `    inner-product identity broken: ⟨u, J·v⟩ = ${fmt(check.innerProduct.jvp)} (jvp) but ⟨Jᵀ·u, v⟩ = ${fmt(check.innerProduct.vjp)} (vjp)` +
        (jvpMatches(check, report) ? '; jvp agrees with finite differences, so suspect the vjp' : ''),
    );
  }
  return lines.join('\n');
}

/** Thrown by gradcheck when an analytic derivative disagrees with finite differences. */
export class GradcheckError extends ChainruleError {
  override readonly name = 'GradcheckError';
  /** The full report, including the comparisons that passed. */
  readonly report: GradcheckReport;

  constructor(report: GradcheckReport) {
    const failed = report.checks.filter((c) => !c.passed);
    super(
      'gradcheck',
      `${failed.length} of ${report.checks.length} derivative comparisons failed (eps ${report.eps})\n` +
        failed.map((c) => describeCheck(c, report)).join('\n'),
      'a wrong vjp shows up in reverse mode, a wrong jvp in forward mode; if both fail at a single element, ' +
        'the input may sit on a kink (move it) or eps may be too large for the function (lower it)',
    );
    this.report = report;
  }
}
