/**
 * jit: compile a function of tensors into a replay of its kernels, as jax.jit or tf.function do. The first
 * call with a given signature (the arguments' shapes and dtypes) traces the function: its arguments become
 * tracked placeholders, so every op it runs, gradients included, records a node. Every call, the first too,
 * then runs the recorded ops' kernels on the arguments (`ReplayPlan`), with none of the per-op work of eager
 * execution: no nodes, shape rules or reverse pass.
 */
import { GraphError } from '../errors.js';
import { tidy } from '../tensor/pool.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { whileTracing } from '../tensor/tracing.js';
import { ReplayPlan } from './replayPlan.js';

/** A compiled function: the same arguments and results as the traced one, its results always constants. */
export interface Compiled<A extends readonly Tensor[], R extends Tensor | readonly Tensor[]> {
  (...args: A): R;
  /** How many signatures have been traced so far (a new shape or dtype traces the function again). */
  readonly traces: number;
  /** Number of kernel calls a call with these arguments' signature replays (traced on first use). */
  stepsFor(...args: A): number;
}

function signatureOf(args: readonly Tensor[]): string {
  return args.map((t) => `${t.dtype}${formatShape(t.shape)}`).join(' ');
}

function checkArguments(args: readonly unknown[]): readonly Tensor[] {
  args.forEach((a, i) => {
    if (!(a instanceof Tensor)) {
      throw new GraphError(
        'jit',
        `argument ${i} is ${typeof a}, not a tensor`,
        'pass tensors (numbers and other values are fixed when the function is traced: close over them)',
      );
    }
  });
  return args as readonly Tensor[];
}

function outputsOf(result: unknown): { outputs: readonly Tensor[]; single: boolean } {
  const single = result instanceof Tensor;
  const outputs = (single ? [result] : result) as unknown;
  if (!Array.isArray(outputs) || outputs.some((t) => !(t instanceof Tensor))) {
    throw new GraphError(
      'jit',
      'the function returned something other than a tensor or an array of tensors',
      'return a tensor or an array of tensors (gradients, a loss); compute anything else outside',
    );
  }
  return { outputs: outputs as readonly Tensor[], single };
}

/** A tracked stand-in for an argument, holding its values (so the trace computes real numbers). */
function placeholderOf(arg: Tensor): Tensor {
  const values = arg.shape.length === 0 ? arg.scalarValue() : arg.data;
  return new Tensor(arg.shape, arg.dtype, values, 'variable', null, arg.name);
}

interface Traced {
  readonly plan: ReplayPlan;
  readonly single: boolean;
}

/**
 * Traces `fn` on `args` inside a scope of its own, so that everything the trace computed goes back to the
 * buffer pool; the plan keeps copies of the constants it needs.
 */
function trace(fn: (...args: Tensor[]) => unknown, args: readonly Tensor[]): Traced {
  return tidy(
    () => {
      const placeholders = args.map(placeholderOf);
      return whileTracing(() => {
        const { outputs, single } = outputsOf(fn(...placeholders));
        return { plan: new ReplayPlan(placeholders, outputs), single };
      });
    },
    () => [],
  );
}

/**
 * Compiles `fn`, a function from tensors to a tensor or an array of tensors, into one that replays its
 * kernels. It may take gradients inside (`gradients`, `grad`, `valueAndGrad`: they are traced too), and gives
 * the same bits as calling `fn` directly. What it computes from anything but its arguments is fixed at the
 * trace: numbers and tensors it closes over are copied in as constants (pass data that changes as an
 * argument). Inside it, reading a traced value into JS (`item`, `toArray`), drawing random numbers, or
 * `noGrad` on a traced value throw, because the compiled function could not repeat them. Computed results are
 * constant tensors in new arrays at every call (inside `tidy` they are released like any other); a result that
 * is an argument, or a constant the function closed over, comes back as that tensor.
 *
 * @example
 * const step = jit((w, x, y) => gradients(mean(square(sub(matmul(x, w), y))), [w]));
 * const [dw] = step(w, x, y); // traced, then replayed
 */
export function jit<A extends readonly Tensor[], R extends Tensor | readonly Tensor[]>(
  fn: (...args: A) => R,
): Compiled<A, R> {
  const plans = new Map<string, Traced>();
  const planFor = (args: readonly Tensor[]) => {
    const signature = signatureOf(args);
    let traced = plans.get(signature);
    if (!traced) {
      traced = trace(fn as unknown as (...args: Tensor[]) => unknown, args);
      plans.set(signature, traced);
    }
    return traced;
  };
  const compiled = (...args: A): R => {
    const { plan, single } = planFor(checkArguments(args));
    const outputs = plan.run(args);
    return (single ? outputs[0] : outputs) as unknown as R;
  };
  return Object.defineProperties(compiled, {
    traces: { get: () => plans.size },
    stepsFor: { value: (...args: A) => planFor(checkArguments(args)).plan.length },
  }) as Compiled<A, R>;
}
