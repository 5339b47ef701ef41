/**
 * Random expression DAGs built from the op table. An expression is drawn as a plan (a list of steps: which
 * op, which earlier nodes, one number for attribute choices) that is replayed on the inputs; replaying does
 * not look at values, so the same plan gives the same function at every point finite differences visit.
 * Plans shrink by dropping steps and lowering indices, so a failure ends on a one-op expression.
 */
import fc from 'fast-check';
import {
  ChainruleError,
  add,
  apply,
  broadcastShapes,
  mul,
  opTable,
  reshape,
  sigmoid,
  softplus,
  sub,
  sum,
  tensor as makeTensor,
} from '../index.js';
import type { OpDef, OpName, Shape, Tensor } from '../index.js';
import { broadcastableShapes, tensor } from './arbitraries.js';
import type { ShapeOptions } from './arbitraries.js';
import type { TensorFunction } from './gradcheck.js';

/** How an op is applied to operands picked from earlier nodes; `choice` selects attributes. */
type Composer = (op: OpDef, operands: readonly [Tensor, Tensor], choice: number) => Tensor;

/** Maps x into the op's declared domain for input i (smoothly, so derivatives stay exact). */
function intoDomain(op: OpDef, i: number, x: Tensor): Tensor {
  const d = op.domain?.[i];
  if (!d || (d.min === undefined && d.max === undefined)) return x;
  if (d.min !== undefined && d.max !== undefined) return add(d.min, mul(d.max - d.min, sigmoid(x)));
  return d.min !== undefined ? add(d.min, softplus(x)) : sub(d.max as number, softplus(x));
}

const broadcasts = (a: Shape, b: Shape): boolean => {
  try {
    broadcastShapes('expression', [a, b]);
    return true;
  } catch {
    return false;
  }
};

/** At least one axis: a 0-d operand becomes a 1-vector for ops that need an axis. */
const atLeast1d = (x: Tensor): Tensor => (x.ndim === 0 ? reshape(x, [1]) : x);

const axesFrom = (rank: number, choice: number): number[] =>
  Array.from({ length: rank }, (_, i) => i).filter((i) => (choice >> i) & 1);

const unary: Composer = (op, [a]) => apply(op, [intoDomain(op, 0, a)], undefined);

const withAttrs =
  (choices: readonly object[]): Composer =>
  (op, [a], choice) =>
    apply(op, [intoDomain(op, 0, a)], choices[choice % choices.length]);

/** Binary elementwise: b is summed to a scalar when it does not broadcast with a. */
const binary: Composer = (op, [a, b]) => {
  const right = broadcasts(a.shape, b.shape) ? b : sum(b);
  return apply(op, [intoDomain(op, 0, a), intoDomain(op, 1, right)], undefined);
};

const reduction: Composer = (op, [a], choice) =>
  apply(op, [a], { axes: axesFrom(a.ndim, choice), keepDims: ((choice >> 4) & 1) === 1 });

const alongAxis: Composer = (op, [a], choice) => {
  const x = atLeast1d(a);
  return apply(op, [x], { axis: choice % x.ndim });
};

/** A·B when b reshapes to [cols, ·], else A·Aᵀ or Aᵀ·A (a shared operand). */
const matmul: Composer = (op, [a, b], choice) => {
  const cols = a.ndim === 0 ? 1 : a.shape[a.ndim - 1];
  const left = reshape(a, [a.size / cols, cols]);
  if (b.size % cols === 0 && choice % 3 === 0)
    return apply(op, [left, reshape(b, [cols, b.size / cols])], { transA: false, transB: false });
  const transA = choice % 2 === 1;
  return apply(op, [left, left], { transA, transB: !transA });
};

const layout: Record<'reshape' | 'permute' | 'broadcastTo' | 'slice' | 'pad', Composer> = {
  reshape: (op, [a], choice) => apply(op, [a], { shape: choice % 2 ? [a.size] : [...a.shape].reverse() }),
  permute: (op, [a], choice) => {
    const k = a.ndim === 0 ? 0 : choice % a.ndim;
    return apply(op, [a], { perm: a.shape.map((_, i) => (i + k) % a.ndim) });
  },
  broadcastTo: (op, [a]) => apply(op, [a], { shape: [2, ...a.shape] }),
  slice: (op, [a], choice) => {
    const x = atLeast1d(a);
    const axis = choice % x.ndim;
    const drop = x.shape[axis] > 1 ? 1 : 0;
    return apply(op, [x], {
      begin: x.shape.map((_, i) => (i === axis ? drop : 0)),
      size: x.shape.map((d, i) => (i === axis ? d - drop : d)),
    });
  },
  pad: (op, [a], choice) => {
    const x = atLeast1d(a);
    const axis = choice % x.ndim;
    return apply(op, [x], {
      before: x.shape.map((_, i) => (i === axis ? 1 : 0)),
      after: x.shape.map(() => 0),
    });
  },
};

/** Joins a with b (same shape) or with itself. */
const concat: Composer = (op, [a, b], choice) => {
  const x = atLeast1d(a);
  const other = b.ndim === x.ndim && b.shape.every((d, i) => d === x.shape[i]) ? b : x;
  return apply(op, [x, other], { axis: choice % x.ndim });
};

/** Constant int32 indices along the chosen axis, with a repeat, so gradients accumulate. */
const gather: Composer = (op, [a], choice) => {
  const x = atLeast1d(a);
  const axis = choice % x.ndim;
  const d = x.shape[axis];
  const idx = makeTensor(Int32Array.of(choice % d, (choice >> 2) % d, choice % d));
  return apply(op, [x, idx], { axis });
};

/** a as rows of logits (its last axis the classes) against constant labels that vary with `choice`. */
const softmaxCrossEntropy: Composer = (op, [a], choice) => {
  const x = atLeast1d(a);
  const classes = x.shape[x.ndim - 1];
  const rows = x.size / classes;
  const labels = Int32Array.from({ length: rows }, (_, r) => (choice + r) % classes);
  return apply(op, [x, makeTensor(labels, { shape: x.shape.slice(0, -1) })], undefined);
};

const scatterAdd: Composer = (op, [a], choice) => {
  const x = atLeast1d(a);
  const axis = choice % x.ndim;
  const size = x.shape[axis] + 1;
  const idx = makeTensor(Int32Array.from({ length: x.shape[axis] }, (_, i) => (i * (choice + 1)) % size));
  return apply(op, [x, idx], { axis, size });
};

/** A constant int32 mask with a's shape selects between a and b. */
const where: Composer = (op, [a, b], choice) => {
  const right = broadcasts(a.shape, b.shape) ? b : sum(b);
  const mask = Int32Array.from({ length: a.size }, (_, i) => (choice >> (i % 10)) & 1);
  return apply(op, [makeTensor(mask, { shape: [...a.shape] }), a, right], undefined);
};

const alphas = [{ alpha: 0.01 }, { alpha: 0.2 }, { alpha: 1.5 }];
const clipRanges = [
  { min: -0.5, max: 0.5 },
  { min: 0, max: 1 },
  { min: -1, max: 0.25 },
];

/** How every composable op enters an expression. */
export const expressionComposers: Partial<Record<OpName, Composer>> = {
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  pow: binary,
  maximum: binary,
  minimum: binary,
  neg: unary,
  identity: unary,
  square: unary,
  sqrt: unary,
  exp: unary,
  log: unary,
  abs: unary,
  sign: unary,
  sin: unary,
  cos: unary,
  tanh: unary,
  sigmoid: unary,
  softplus: unary,
  relu: unary,
  addRelu: binary,
  step: unary,
  leakyRelu: withAttrs(alphas),
  elu: withAttrs(alphas),
  clip: withAttrs(clipRanges),
  where,
  cast: (op, [a]) => apply(op, [a], { dtype: 'float64' }),
  sum: reduction,
  max: reduction,
  min: reduction,
  logSumExp: reduction,
  softmax: alongAxis,
  logSoftmax: alongAxis,
  softmaxCrossEntropy,
  matmul,
  ...layout,
  concat,
  gather,
  scatterAdd,
};

const comparison =
  'a 0/1 comparison jumps where its operands tie, and ties are not declared as kinks, so composed ' +
  'expressions could land on one; the per-op suite checks its zero derivative on tie-free samples';

/** Ops deliberately left out of expressions, and why. Every other op of the table must have a composer. */
export const expressionExclusions: Partial<Record<OpName, string>> = {
  greater: comparison,
  greaterEqual: comparison,
  less: comparison,
  lessEqual: comparison,
  equal: comparison,
  logicalAnd: comparison,
};

/** Options of `expression`. */
export interface ExpressionOptions {
  /** Ops to build from (table names or definitions, e.g. a modified copy); default every composable op. */
  readonly ops?: readonly (OpDef | OpName)[];
  /** Longest chain of ops from an input to a node (default 4). */
  readonly depth?: number;
  /** Number of inputs (default 2); their shapes broadcast together. */
  readonly inputs?: number;
  /** Most steps in a plan (default 2 × depth). */
  readonly maxSteps?: number;
  /** Shapes of the inputs (default rank ≤ 2, dimensions ≤ 3). */
  readonly shapes?: ShapeOptions;
}

/** A drawn expression: its inputs, the function, and the ops it applies. `toString()` describes it. */
export interface Expression {
  readonly inputs: readonly Tensor[];
  readonly f: TensorFunction;
  /** Op names in the order the steps apply them. */
  readonly ops: readonly string[];
  readonly depth: number;
}

interface Step {
  readonly op: number;
  readonly args: readonly [number, number];
  readonly choice: number;
}

function resolveOps(ops: readonly (OpDef | OpName)[]): OpDef[] {
  return ops.map((o) => {
    const def = typeof o === 'string' ? (opTable[o] as OpDef) : o;
    if (!def || !(def.name in expressionComposers)) {
      throw new ChainruleError(
        'expression',
        `op '${typeof o === 'string' ? o : o.name}' cannot be composed into expressions`,
        `use ops from: ${Object.keys(expressionComposers).join(', ')}`,
      );
    }
    return def;
  });
}

/** Replays a plan on the inputs; returns the last node and the depth and op names of the steps. */
function replay(plan: readonly Step[], ops: readonly OpDef[], xs: readonly Tensor[], maxDepth: number) {
  const nodes = xs.map((x) => ({ t: x, depth: 0 }));
  const names: string[] = [];
  // The plan's first step is applied last and is the output, and a plan may be empty (the output is then an
  // input): fast-check's array shrinking can then drop every step but the culprit.
  for (const step of [...plan].reverse()) {
    const eligible = nodes.filter((n) => n.depth < maxDepth);
    const pick = (k: number) => eligible[eligible.length - 1 - (k % eligible.length)];
    const [a, b] = [pick(step.args[0]), pick(step.args[1])];
    const op = ops[step.op % ops.length];
    const compose = expressionComposers[op.name as OpName] as Composer;
    nodes.push({ t: compose(op, [a.t, b.t], step.choice), depth: 1 + Math.max(a.depth, b.depth) });
    names.push(op.name);
  }
  const last = nodes[nodes.length - 1];
  return { out: last.t, depth: last.depth, names };
}

/** Every op of the table that expressions can use. */
export function expressionOps(): OpName[] {
  return Object.keys(expressionComposers) as OpName[];
}

/**
 * Random expression DAGs over `ops`, up to `depth` deep, with shared subexpressions (steps may reuse any
 * earlier node) and inputs of mixed, broadcastable shapes. Operands of ops with a declared domain are mapped
 * into it smoothly; kinks are not avoided here (checkGradients skips points near them).
 */
export function expression(options: ExpressionOptions = {}): fc.Arbitrary<Expression> {
  const ops = resolveOps(options.ops ?? expressionOps());
  const depth = options.depth ?? 4;
  const nInputs = options.inputs ?? 2;
  const step = fc.record({
    op: fc.nat({ max: ops.length - 1 }),
    args: fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 7 })),
    choice: fc.nat({ max: 1023 }),
  });
  const plan = fc.array(step, { minLength: 0, maxLength: options.maxSteps ?? 2 * depth, size: 'max' });
  const inputs = broadcastableShapes(nInputs, { maxRank: 2, ...options.shapes }).chain((shapes) =>
    fc.tuple(...shapes.map((s) => tensor({ shape: s }))),
  );
  return fc.tuple(plan, inputs).map(([steps, xs]) => {
    const f: TensorFunction = (...args) => replay(steps, ops, args, depth).out;
    const { depth: reached, names } = replay(steps, ops, xs, depth);
    return {
      inputs: xs,
      f,
      ops: names,
      depth: reached,
      toString: () => `expression of ${names.length} steps [${names.join(', ')}], depth ${reached}`,
    };
  });
}
