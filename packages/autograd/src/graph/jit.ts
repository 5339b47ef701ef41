/**
 * jit: compile a function of tensors into a replay of its kernels, as jax.jit or tf.function do. The first
 * call with a given signature (the arguments' shapes and dtypes) traces the function: its arguments become
 * tracked placeholders, so every op it runs, gradients included, records a node. Every call, the first too,
 * then runs the recorded ops' kernels on the arguments (`ReplayPlan`), with none of the per-op work of eager
 * execution: no nodes, shape rules or reverse pass.
 */
import { List, Map as ImmutableMap } from 'immutable';
import { GraphError } from '../errors.js';
import { tidy } from '../tensor/pool.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { isTracing, whileTracing } from '../tensor/tracing.js';
import { ReplayPlan } from './replayPlan.js';
import type { Tree } from './tree.js';
import { mapTree, treeLeaves, unflatten } from './tree.js';

/** A compiled function: the same arguments and results as the traced one, its results always constants. */
export interface Compiled<A extends readonly Tree[], R extends Tree | readonly Tree[]> {
  (...args: A): R;
  /** How many signatures have been traced so far (a new shape, dtype or tree structure traces again). */
  readonly traces: number;
  /** Number of kernel calls a call with these arguments' signature replays (traced on first use). */
  stepsFor(...args: A): number;
}

/**
 * Appends the leaves of `value` (in `treeLeaves` order) to `leaves` and its signature — structure, keys,
 * dtypes and shapes, e.g. `{"w":float32[2,3],"b":float32[3]}` — to `parts`, in one walk; false when `value`
 * is not a tree of tensors.
 */
function flattenInto(value: unknown, leaves: Tensor[], parts: string[]): boolean {
  if (value instanceof Tensor) {
    leaves.push(value);
    parts.push(value.dtype, formatShape(value.shape));
    return true;
  }
  let ok = true;
  if (List.isList(value)) {
    parts.push('[');
    (value as List<unknown>).forEach((v) => (ok = flattenInto(v, leaves, parts)));
  } else if (ImmutableMap.isMap(value)) {
    parts.push('{');
    (value as ImmutableMap<string, unknown>).forEach((v, k) => {
      parts.push(JSON.stringify(k), ':');
      return (ok = flattenInto(v, leaves, parts));
    });
  } else return false;
  parts.push(List.isList(value) ? ']' : '}');
  return ok;
}

/** The arguments' leaves and signature; throws a GraphError naming an argument that is not a tree. */
function argumentsOf(args: readonly unknown[]): { leaves: Tensor[]; signature: string } {
  const leaves: Tensor[] = [];
  const parts: string[] = [];
  args.forEach((a, i) => {
    if (!flattenInto(a, leaves, parts)) {
      throw new GraphError(
        'jit',
        `argument ${i} is ${typeof a}, not a tensor or a tree of tensors (immutable Maps and Lists)`,
        'pass tensors (numbers and other values are fixed when the function is traced: close over them)',
      );
    }
    parts.push(' ');
  });
  return { leaves, signature: parts.join('') };
}

/** The result trees, as a list, and whether the function returned one tree rather than an array of them. */
function resultTreesOf(result: unknown): { trees: readonly Tree[]; single: boolean } {
  const single = !Array.isArray(result);
  const trees = (single ? [result] : result) as readonly unknown[];
  if (!trees.every((t) => flattenInto(t, [], []))) {
    throw new GraphError(
      'jit',
      'the function returned something other than tensors or trees of tensors',
      'return a tensor, a tree (an immutable Map or List of tensors) or an array of them; compute anything else outside',
    );
  }
  return { trees: trees as readonly Tree[], single };
}

/** A tracked stand-in for an argument, holding its values (so the trace computes real numbers). */
function placeholderOf(arg: Tensor): Tensor {
  const values = arg.shape.length === 0 ? arg.scalarValue() : arg.data;
  return new Tensor(arg.shape, arg.dtype, values, 'variable', null, arg.name);
}

/** What a result leaf's place holds in a result template (only its position matters). */
const slot = new Tensor([], 'float64', 0, 'constant', null, undefined);

interface Traced {
  readonly plan: ReplayPlan;
  /**
   * The result trees with every leaf replaced by `slot` (the traced nodes themselves are not kept) and their
   * leaf counts, or null when every result is a tensor (the replay's outputs are then the results).
   */
  readonly shape: { readonly templates: readonly Tree[]; readonly counts: readonly number[] } | null;
  readonly single: boolean;
}

/**
 * Traces `fn` on `args` inside a scope of its own, so that everything the trace computed goes back to the
 * buffer pool; the plan keeps copies of the constants it needs.
 */
function trace(fn: (...args: Tree[]) => unknown, args: readonly Tree[]): Traced {
  return tidy(
    () => {
      const placeholders = args.map((a) => mapTree(a, placeholderOf));
      return whileTracing(() => {
        const { trees, single } = resultTreesOf(fn(...placeholders));
        const plan = new ReplayPlan(placeholders.flatMap(treeLeaves), trees.flatMap(treeLeaves));
        const shape = trees.every((t) => t instanceof Tensor)
          ? null
          : {
              templates: trees.map((t) => mapTree(t, () => slot)),
              counts: trees.map((t) => treeLeaves(t).length),
            };
        return { plan, shape, single };
      });
    },
    () => [],
  );
}

/** Rebuilds the result trees from the replay's outputs, leaf by leaf in `treeLeaves` order. */
function rebuild({ templates, counts }: NonNullable<Traced['shape']>, outputs: readonly Tensor[]): Tree[] {
  let offset = 0;
  return templates.map((template, i) => {
    const tree = unflatten(template, outputs.slice(offset, offset + counts[i]));
    offset += counts[i];
    return tree;
  });
}

/**
 * Compiles `fn`, a function of tensors or parameter trees (immutable Maps and Lists of tensors) returning a
 * tensor, a tree or an array of them, into one that replays its kernels. It may take gradients inside
 * (`gradients`, `grad`, `valueAndGrad`: they are traced too), and gives the same bits as calling `fn`
 * directly. What it computes from anything but its arguments is fixed at the trace: numbers and tensors it
 * closes over are copied in as constants (pass data that changes as an argument). Inside it, reading a traced
 * value into JS (`item`, `toArray`), drawing random numbers, or `noGrad` on a traced value throw, because the
 * compiled function could not repeat them. Computed results are constant tensors in new arrays at every call
 * (inside `tidy` they are released like any other); a result that is an argument, or a constant the function
 * closed over, comes back as that tensor. Called on tracked arguments (inside a loss being differentiated) or
 * inside another compiled function's trace, it runs `fn` as it is, so that gradients flow through it.
 *
 * @example
 * const step = jit((w, x, y) => gradients(mean(square(sub(matmul(x, w), y))), [w]));
 * const [dw] = step(w, x, y); // traced, then replayed
 */
export function jit<A extends readonly Tree[], R extends Tree | readonly Tree[]>(
  fn: (...args: A) => R,
): Compiled<A, R> {
  const plans = new Map<string, Traced>();
  const planFor = (args: readonly Tree[], signature: string) => {
    let traced = plans.get(signature);
    if (!traced) {
      traced = trace(fn as unknown as (...args: Tree[]) => unknown, args);
      plans.set(signature, traced);
    }
    return traced;
  };
  const compiled = (...args: A): R => {
    const { leaves, signature } = argumentsOf(args);
    // Inside another function's trace, or on tracked arguments (a compiled function inside a loss being
    // differentiated), run it as it is so that the ops are recorded: a replay's results would be constants,
    // cut off from the graph, and their gradients silently zero.
    if (isTracing() || leaves.some((t) => t.tracked)) return fn(...args);
    const { plan, shape, single } = planFor(args, signature);
    const outputs = plan.run(leaves);
    const trees = shape ? rebuild(shape, outputs) : outputs;
    return (single ? trees[0] : trees) as unknown as R;
  };
  return Object.defineProperties(compiled, {
    traces: { get: () => plans.size },
    stepsFor: { value: (...args: A) => planFor(args, argumentsOf(args).signature).plan.length },
  }) as Compiled<A, R>;
}
