/**
 * gradcheck: analytic derivatives (reverse and forward mode) against central finite differences, up to the
 * third order. Order k checks the derivative of order k−1 as a function of the inputs: the gradient of
 * ⟨u, f(x)⟩ (u a fixed random cotangent) is recorded as a graph, flattened, and checked like any function.
 */
import {
  ChainruleError,
  DTypeError,
  GraphError,
  Tensor,
  concat,
  deriveSeed,
  gradients,
  jvp,
  ones,
  randn,
  tensor,
  reshape,
  variable,
  zeros,
} from '../index.js';
import type { Seed } from '../index.js';
import { close, compareArrays } from './compare.js';
import type { Tolerance } from './compare.js';
import type { DerivativeCheck, DerivativeMode, GradcheckReport } from './report.js';
import { GradcheckError } from './report.js';

/** A function of tensors returning a tensor: what gradcheck differentiates. */
export type TensorFunction = (...inputs: Tensor[]) => Tensor;

/** Options of gradcheck. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6 in float64, 1e-3 in float32). */
  readonly eps?: number;
  /** Absolute tolerance (default 1e-5 in float64, 1e-3 in float32). */
  readonly atol?: number;
  /** Relative tolerance, against the numeric value (default 1e-3 in float64, 1e-2 in float32). */
  readonly rtol?: number;
  /** Highest derivative order to check: 1 (gradcheck), 2 (gradgradcheck) or 3. Default 1. */
  readonly order?: number;
  /** Which modes to check (default both: reverse via vjp, forward via jvp). */
  readonly modes?: readonly DerivativeMode[];
  /** Positions of the inputs to differentiate (default: every float input; int32 inputs stay fixed). */
  readonly wrt?: readonly number[];
  /** Seed of the random cotangents and tangents (default 0). */
  readonly seed?: Seed;
  /** Check float32 inputs anyway, with loose tolerances, after a warning (default: refuse them). */
  readonly allowFloat32?: boolean;
  /** Where the float32 warning goes (default console.warn). */
  readonly warn?: (message: string) => void;
  /** Throw a GradcheckError when a comparison fails (default true); otherwise only return the report. */
  readonly throwOnFailure?: boolean;
}

interface Settings extends Tolerance {
  readonly eps: number;
  readonly modes: readonly DerivativeMode[];
  readonly seed: Seed;
}

const FLOAT64_DEFAULTS = { eps: 1e-6, atol: 1e-5, rtol: 1e-3 };
// float32 keeps ~7 significant digits: a step of 1e-3 leaves ~4 of them in f(x+h) − f(x−h).
const FLOAT32_DEFAULTS = { eps: 1e-3, atol: 1e-3, rtol: 1e-2 };

const isFloatTensor = (x: Tensor): boolean => x.dtype !== 'int32';

function checkArguments(f: TensorFunction, inputs: readonly Tensor[], options: GradcheckOptions): number[] {
  if (typeof f !== 'function') {
    throw new ChainruleError('gradcheck', `expected a function, got ${typeof f}`, 'pass (...xs) => tensor');
  }
  inputs.forEach((x, i) => {
    if (!(x instanceof Tensor))
      throw new ChainruleError('gradcheck', `input ${i} is not a Tensor`, 'wrap numbers with tensor()');
  });
  const order = options.order ?? 1;
  if (![1, 2, 3].includes(order)) {
    throw new ChainruleError('gradcheck', `order ${order} is not supported`, 'use order 1, 2 or 3');
  }
  const eps = options.eps;
  if (eps !== undefined && !(eps > 0 && Number.isFinite(eps))) {
    throw new ChainruleError('gradcheck', `eps ${eps} is not a positive number`, 'use e.g. 1e-6');
  }
  const wrt = options.wrt ? [...options.wrt] : inputs.flatMap((x, i) => (isFloatTensor(x) ? [i] : []));
  for (const i of wrt) {
    if (!Number.isInteger(i) || i < 0 || i >= inputs.length)
      throw new GraphError(
        'gradcheck',
        `wrt index ${i} is out of range for ${inputs.length} inputs`,
        'count from 0',
      );
    if (!isFloatTensor(inputs[i]))
      throw new DTypeError(
        'gradcheck',
        `input ${i} is ${inputs[i].dtype}, which has no derivative`,
        'leave int32 inputs out of wrt',
      );
  }
  if (wrt.length === 0) {
    throw new GraphError('gradcheck', 'no float input to differentiate', 'pass at least one float64 tensor');
  }
  return wrt;
}

function settingsFor(inputs: readonly Tensor[], wrt: readonly number[], options: GradcheckOptions): Settings {
  const firstFloat32 = wrt.find((i) => inputs[i].dtype === 'float32');
  let defaults = FLOAT64_DEFAULTS;
  if (firstFloat32 !== undefined) {
    const why =
      `input ${firstFloat32} is float32: it keeps about 7 significant digits, so a central difference ` +
      `(f(x+h) − f(x−h)) / 2h loses most of them to rounding and cannot confirm a gradient to more than ~2 digits`;
    if (!options.allowFloat32) {
      throw new DTypeError(
        'gradcheck',
        why,
        "cast the inputs to float64 (x.cast('float64')), or pass { allowFloat32: true } for a loose check",
      );
    }
    (options.warn ?? console.warn)(`gradcheck: ${why}; checking with eps 1e-3, atol 1e-3, rtol 1e-2`);
    defaults = FLOAT32_DEFAULTS;
  }
  return {
    eps: options.eps ?? defaults.eps,
    atol: options.atol ?? defaults.atol,
    rtol: options.rtol ?? defaults.rtol,
    modes: options.modes ?? ['reverse', 'forward'],
    seed: options.seed ?? 0,
  };
}

/** Checks that the function under test returned a float tensor. */
function checkOutput(y: unknown): Tensor {
  if (!(y instanceof Tensor))
    throw new GraphError('gradcheck', `the function returned ${typeof y}, not a tensor`, 'return a tensor');
  if (!isFloatTensor(y))
    throw new DTypeError('gradcheck', `the function returned ${y.dtype}`, 'return a float tensor');
  return y;
}

/** Evaluates `fn` at fresh variables holding the values of `xs`. */
function evaluate(fn: TensorFunction, xs: readonly Tensor[]): Tensor {
  return checkOutput(fn(...xs.map((x) => variable(x))));
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** xs with input i replaced by a copy whose values are set by `edit` (which writes into a fresh array). */
function perturbed(xs: readonly Tensor[], i: number, edit: (data: Tensor['data']) => void): Tensor[] {
  const data = xs[i].data.slice();
  edit(data);
  return xs.map((x, k) => (k === i ? tensor(data, { shape: x.shape }) : x));
}

/** d⟨u, fn⟩/dx_i by central differences, element by element (dividing by the step actually taken). */
function numericGradient(fn: TensorFunction, xs: readonly Tensor[], i: number, u: Tensor, eps: number) {
  const out = new Float64Array(xs[i].size);
  for (let j = 0; j < out.length; j++) {
    const plus = perturbed(xs, i, (d) => (d[j] += eps));
    const minus = perturbed(xs, i, (d) => (d[j] -= eps));
    const step = plus[i].data[j] - minus[i].data[j];
    out[j] = (dot(u.data, evaluate(fn, plus).data) - dot(u.data, evaluate(fn, minus).data)) / step;
  }
  return out;
}

/** J·v by central differences along v (v applied to input i only). */
function numericJvp(fn: TensorFunction, xs: readonly Tensor[], i: number, v: Tensor, eps: number) {
  const plus = evaluate(
    fn,
    perturbed(xs, i, (d) => d.forEach((x, j) => (d[j] = x + eps * v.data[j]))),
  ).data;
  const minus = evaluate(
    fn,
    perturbed(xs, i, (d) => d.forEach((x, j) => (d[j] = x - eps * v.data[j]))),
  ).data;
  return Float64Array.from(plus, (p, j) => (p - minus[j]) / (2 * eps));
}

/** Checks the first derivative of `fn` at `xs`; returns the comparisons and the cotangent it used. */
function checkLevel(
  fn: TensorFunction,
  xs: readonly Tensor[],
  wrt: readonly number[],
  order: number,
  s: Settings,
): { checks: DerivativeCheck[]; cotangent: Tensor } {
  const vars = xs.map((x) => variable(x));
  const y = checkOutput(fn(...vars));
  // A one-element output (a loss) gets cotangent 1, so the report shows the gradient itself.
  const u =
    y.size === 1
      ? ones(y.shape, { dtype: y.dtype })
      : randn(y.shape, { seed: deriveSeed(s.seed, `cotangent${order}`), dtype: y.dtype });
  const checks: DerivativeCheck[] = [];
  const grads = gradients(y, vars, { seed: u });
  xs.forEach((x, i) => {
    const g = grads[i];
    const base = { order, input: wrt[i] };
    if (s.modes.includes('reverse')) {
      const numeric = numericGradient(fn, xs, i, u, s.eps);
      checks.push({
        ...base,
        mode: 'reverse',
        shape: x.shape,
        ...compareArrays(g.data, numeric, x.shape, s),
      });
    }
    if (s.modes.includes('forward')) {
      const v = randn(x.shape, { seed: deriveSeed(s.seed, `tangent${order}/${i}`), dtype: x.dtype });
      const tangents = xs.map((other, k) => (k === i ? v : zeros(other.shape, { dtype: other.dtype })));
      const { tangent } = jvp(fn, xs, tangents);
      const comparison = compareArrays(tangent.data, numericJvp(fn, xs, i, v, s.eps), y.shape, s);
      const viaJvp = dot(u.data, tangent.data);
      const viaVjp = dot(g.data, v.data);
      const innerProduct = { jvp: viaJvp, vjp: viaVjp, passed: close(viaJvp, viaVjp, s) };
      checks.push({
        ...base,
        mode: 'forward',
        shape: y.shape,
        ...comparison,
        innerProduct,
        passed: comparison.passed && innerProduct.passed,
      });
    }
  });
  return { checks, cotangent: u };
}

/** x ↦ flattened ∇⟨u, fn(x)⟩, recorded as a graph so it can be differentiated again. */
function gradientOf(fn: TensorFunction, u: Tensor): TensorFunction {
  return (...xs) => {
    const grads = gradients(fn(...xs), xs, { seed: u, createGraph: true });
    return concat(grads.map((g) => reshape(g, [g.size])));
  };
}

/**
 * Checks f's derivatives at `inputs` against central finite differences in float64: reverse mode (the vjp
 * rules) and forward mode (the jvp rules, plus the identity ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩), for orders 1 to
 * `order`. Returns the report; throws a GradcheckError listing each failing comparison unless
 * `throwOnFailure` is false. float32 inputs are refused unless `allowFloat32` is set.
 */
export function gradcheck(
  f: TensorFunction,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const wrt = checkArguments(f, inputs, options);
  const settings = settingsFor(inputs, wrt, options);
  const primals = wrt.map((i) => inputs[i]);
  let level: TensorFunction = (...xs) =>
    f(...inputs.map((x, i) => (wrt.includes(i) ? xs[wrt.indexOf(i)] : x)));
  const order = options.order ?? 1;
  const checks: DerivativeCheck[] = [];
  for (let k = 1; k <= order; k++) {
    const result = checkLevel(level, primals, wrt, k, settings);
    checks.push(...result.checks);
    if (k < order) level = gradientOf(level, result.cotangent);
  }
  const report: GradcheckReport = {
    passed: checks.every((c) => c.passed),
    eps: settings.eps,
    atol: settings.atol,
    rtol: settings.rtol,
    order,
    checks,
  };
  if (!report.passed && options.throwOnFailure !== false) throw new GradcheckError(report);
  return report;
}
