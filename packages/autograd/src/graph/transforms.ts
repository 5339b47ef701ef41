/**
 * Function transforms in the style of JAX: grad, valueAndGrad, vjp, jvp, jacobian, hessian, noGrad and
 * stopGradient. Arguments may be tensors, numbers or parameter trees.
 */
import { GraphError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { variable } from '../tensor/create.js';
import { apply, withRecording } from '../ops/apply.js';
import { stopGradientOp } from '../ops/stopGradient.js';
import { isTracing } from '../tensor/tracing.js';
import { identity, reshape, stack, zerosLike } from '../ops/functions.js';
import { gradients, pushForward } from './gradients.js';
import type { Tree, TreeInput } from './tree.js';
import { mapTree, treeLeaves, unflatten } from './tree.js';

/** Options of grad and valueAndGrad. */
export interface GradOptions {
  /** Which argument(s) to differentiate (default 0). With an array, the gradients come back as an array. */
  readonly argnums?: number | readonly number[];
  /** Keep the gradient as a graph (default: only when an argument is already tracked, i.e. when nested). */
  readonly createGraph?: boolean;
}

type Fn = (...args: never[]) => Tensor;

/**
 * A fresh handle to differentiate at: a new variable for constants, an identity node for values that are
 * already tracked (so an outer transform still sees the dependence: this is what makes grad(grad(f)) work).
 */
function lift(t: Tensor): Tensor {
  return t.tracked ? identity(t) : variable(t);
}

function toTree(x: TreeInput): Tree {
  return typeof x === 'number'
    ? new Tensor([], 'float64', Float64Array.of(x), 'constant', null, undefined)
    : x;
}

function checkScalarOutput(where: string, y: unknown): Tensor {
  if (!(y instanceof Tensor))
    throw new GraphError(
      where,
      `the function returned ${typeof y}, not a tensor`,
      'return a one-element tensor (e.g. a loss)',
    );
  if (y.size !== 1)
    throw new GraphError(
      where,
      `the function returned shape ${formatShape(y.shape)}, not one element`,
      'reduce the output (sum, mean), or use vjp/jacobian for non-scalar outputs',
    );
  return y;
}

/** Result of valueAndGrad: the function's value and the gradient tree(s). */
export interface ValueAndGrad<G> {
  readonly value: Tensor;
  readonly grads: G;
}

/** Lifts the differentiated arguments, calls f, and differentiates the scalar output. */
function differentiate(where: string, f: Fn, args: readonly TreeInput[], options: GradOptions) {
  const argnums =
    typeof options.argnums === 'number' || options.argnums === undefined
      ? [options.argnums ?? 0]
      : options.argnums;
  for (const a of argnums) {
    if (a < 0 || a >= args.length)
      throw new GraphError(
        where,
        `argnums ${a} is out of range for ${args.length} arguments`,
        'count arguments from 0',
      );
  }
  const trees = args.map(toTree);
  const nested = argnums.some((a) => treeLeaves(trees[a]).some((t) => t.tracked));
  const lifted = trees.map((t, i) => (argnums.includes(i) ? mapTree(t, lift) : t));
  const value = checkScalarOutput(where, (f as (...a: Tree[]) => unknown)(...lifted));
  const leaves = argnums.flatMap((a) => treeLeaves(lifted[a]));
  const grads = gradients(value, leaves, { createGraph: options.createGraph ?? nested });
  let offset = 0;
  const perArg = argnums.map((a) => {
    const n = treeLeaves(lifted[a]).length;
    const tree = unflatten(lifted[a], grads.slice(offset, offset + n));
    offset += n;
    return tree;
  });
  return { value, grads: typeof options.argnums === 'object' ? perArg : perArg[0] };
}

/** f ↦ (...args) ↦ { value, grads }: the value of a scalar function and its gradient tree(s). */
export function valueAndGrad<G = Tree>(
  f: Fn,
  options: GradOptions = {},
): (...args: TreeInput[]) => ValueAndGrad<G> {
  return (...args) => differentiate('valueAndGrad', f, args, options) as ValueAndGrad<G>;
}

/** f ↦ ∇f: the gradient of a scalar function, as a tree shaped like the differentiated argument. */
export function grad<G = Tensor>(f: Fn, options: GradOptions = {}): (...args: TreeInput[]) => G {
  return (...args) => differentiate('grad', f, args, options).grads as G;
}

/** The output of f at `primals` and a function mapping an output cotangent to the input cotangents. */
export function vjp(f: Fn, ...primals: Tensor[]): { out: Tensor; vjp: (cotangent: Tensor) => Tensor[] } {
  const nested = primals.some((p) => p.tracked);
  const lifted = primals.map(lift);
  const out = (f as (...a: Tensor[]) => Tensor)(...lifted);
  return { out, vjp: (cotangent) => gradients(out, lifted, { seed: cotangent, createGraph: nested }) };
}

/** Forward mode: f's output at `primals` and its directional derivative along `tangents` (J·v). */
export function jvp(
  f: Fn,
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
): { out: Tensor; tangent: Tensor } {
  if (primals.length !== tangents.length) {
    throw new GraphError(
      'jvp',
      `${primals.length} primals but ${tangents.length} tangents`,
      'pass one tangent per primal, of the same shape',
    );
  }
  const nested = primals.some((p) => p.tracked) || tangents.some((t) => t.tracked);
  const lifted = primals.map(lift);
  const out = (f as (...a: Tensor[]) => Tensor)(...lifted);
  return { out, tangent: pushForward(out, lifted, tangents, nested) };
}

/** The Jacobian of f at x, with shape [...out.shape, ...x.shape] (one reverse pass per output element). */
export function jacobian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) => {
    const nested = x.tracked;
    const xv = lift(x);
    const out = f(xv);
    const rows: Tensor[] = [];
    for (let i = 0; i < out.size; i++) {
      const seed = zerosLike(out);
      seed.data[i] = 1;
      rows.push(gradients(out, [xv], { seed, createGraph: nested })[0]);
    }
    if (rows.length === 0) return reshape(zerosLike(x), [...out.shape, ...x.shape]);
    return reshape(stack(rows), [...out.shape, ...x.shape]);
  };
}

/** The Hessian of a scalar function at x: the Jacobian of its gradient, shape [...x.shape, ...x.shape]. */
export function hessian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return jacobian((x) => grad(f)(x));
}

/** Runs fn without recording: every op result is a constant (use for inference and parameter updates). */
export function noGrad<T>(fn: () => T): T {
  return withRecording(false, fn);
}

/**
 * The same values as x, as a constant: gradients do not flow through it. While `jit` traces, a recorded copy
 * with a zero derivative instead, so that the compiled function recomputes it.
 */
export function stopGradient(x: Tensor): Tensor {
  if (!x.tracked) return x;
  if (isTracing()) return apply(stopGradientOp, [x], undefined);
  return new Tensor(x.shape, x.dtype, x.data, 'constant', null, x.name);
}
