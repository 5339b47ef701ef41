/**
 * One sample spec per op in the table: an arbitrary of valid operands and attributes, with values in the op's
 * declared domain and kept away from its kinks. The map is typed against the table, and the property suite
 * checks it at run time too, so an op added without a sample fails both the typecheck and the tests.
 */
import fc from 'fast-check';
import {
  ChainruleError,
  abs,
  add,
  apply,
  broadcastShapes,
  noGrad,
  opTable,
  sizeOf,
  tensor as makeTensor,
} from '../index.js';
import type { Domain, OpDef, OpName, Shape, Tensor } from '../index.js';
import { broadcastableShapes, distinctTensors, shape, tensor } from './arbitraries.js';
import type { ShapeOptions } from './arbitraries.js';
import type { GradientCase } from './checkGradients.js';

/** Operands and attributes for one application of an op. */
export interface OpSample {
  readonly inputs: readonly Tensor[];
  readonly attrs: unknown;
}

/** Options of the samples. */
export interface SampleOptions extends ShapeOptions {
  /** Distance kept from kinks and domain ends (default 1e-3). */
  readonly margin?: number;
}

type SampleSpec = (op: OpDef, options: SampleOptions) => fc.Arbitrary<OpSample>;

const domainOf = (op: OpDef, i: number): Domain => op.domain?.[i] ?? {};

/** The numeric kink locations of input i (attribute kinks resolved against `attrs`). */
export function kinkPoints(op: OpDef, i: number, attrs: unknown): number[] {
  return (op.kinks ?? []).flatMap((k) => {
    if (k.input !== i || k.at === 'tie' || k.at === 'sum') return [];
    if (typeof k.at === 'number') return [k.at];
    return [Number((attrs as Record<string, unknown>)[k.at.attr])];
  });
}

function floatInputs(op: OpDef, shapes: readonly Shape[], attrs: unknown, o: SampleOptions) {
  return fc.tuple(
    ...shapes.map((s, i) =>
      tensor({ shape: s, domain: domainOf(op, i), avoid: kinkPoints(op, i, attrs), margin: o.margin }),
    ),
  );
}

const sampled =
  (attrs: unknown) =>
  (inputs: readonly Tensor[]): OpSample => ({ inputs, attrs });

/** Broadcasting elementwise ops without attributes. */
const elementwise: SampleSpec = (op, o) =>
  broadcastableShapes(typeof op.arity === 'number' ? op.arity : 2, o).chain((shapes) =>
    floatInputs(op, shapes, undefined, o).map(sampled(undefined)),
  );

/** Elementwise ops whose derivative jumps where the operands sum to zero: sums kept `margin` away from it. */
const awayFromZeroSum: SampleSpec = (op, o) =>
  elementwise(op, o).filter(({ inputs: [a, b] }) =>
    noGrad(() => abs(add(a, b))).data.every((v) => v > (o.margin ?? 1e-3)),
  );

/** Elementwise ops whose derivative jumps where operands tie: all values distinct. */
const distinctElementwise: SampleSpec = (op, o) =>
  broadcastableShapes(2, o).chain((shapes) =>
    distinctTensors(shapes, domainOf(op, 0)).map(sampled(undefined)),
  );

/** Unary elementwise ops with attributes drawn from `attrs`. */
const unaryWith =
  (attrs: fc.Arbitrary<object>): SampleSpec =>
  (op, o) =>
    fc.tuple(attrs, shape(o)).chain(([a, s]) => floatInputs(op, [s], a, o).map(sampled(a)));

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Reductions over a random subset of axes, with or without keepDims. */
const reduction =
  (distinct: boolean): SampleSpec =>
  (op, o) =>
    shape(o).chain((s) =>
      fc
        .record({ axes: fc.subarray(range(s.length)), keepDims: fc.boolean() })
        .chain((attrs) =>
          (distinct ? distinctTensors([s]) : floatInputs(op, [s], attrs, o)).map(sampled(attrs)),
        ),
    );

const alongAxis: SampleSpec = (op, o) =>
  shape({ ...o, minRank: 1 }).chain((s) =>
    fc.nat({ max: s.length - 1 }).chain((axis) => floatInputs(op, [s], { axis }, o).map(sampled({ axis }))),
  );

const matmul: SampleSpec = (op, o) =>
  fc
    .record({
      batch: broadcastableShapes(2, { maxRank: 1, maxDim: o.maxDim }),
      m: fc.integer({ min: 1, max: 3 }),
      k: fc.integer({ min: 1, max: 3 }),
      n: fc.integer({ min: 1, max: 3 }),
      transA: fc.boolean(),
      transB: fc.boolean(),
    })
    .chain(({ batch, m, k, n, transA, transB }) => {
      const a = [...batch[0], ...(transA ? [k, m] : [m, k])];
      const b = [...batch[1], ...(transB ? [n, k] : [k, n])];
      return floatInputs(op, [a, b], undefined, o).map(sampled({ transA, transB }));
    });

/** Shapes with the same number of elements as `s`. */
function reshapes(s: Shape): Shape[] {
  const n = sizeOf(s);
  return [[n], [1, n], [n, 1], [...s].reverse(), [...s, 1], s.filter((d) => d !== 1)];
}

const reshape: SampleSpec = (op, o) =>
  shape(o).chain((s) =>
    fc
      .constantFrom(...reshapes(s))
      .chain((target) => floatInputs(op, [s], {}, o).map(sampled({ shape: target }))),
  );

const permute: SampleSpec = (op, o) =>
  shape(o).chain((s) =>
    fc
      .shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length })
      .chain((perm) => floatInputs(op, [s], {}, o).map(sampled({ perm }))),
  );

const broadcastTo: SampleSpec = (op, o) =>
  broadcastableShapes(2, o).chain(([source, other]) => {
    const target = broadcastShapes('broadcastTo', [source, other]);
    return floatInputs(op, [source], {}, o).map(sampled({ shape: target }));
  });

const slice: SampleSpec = (op, o) =>
  shape(o).chain((s) =>
    fc
      .tuple(
        ...s.map((d) =>
          fc.nat({ max: d - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 1, max: d - b }))),
        ),
      )
      .chain((bounds) => {
        const attrs = { begin: bounds.map(([b]) => b), size: bounds.map(([, n]) => n) };
        return floatInputs(op, [s], attrs, o).map(sampled(attrs));
      }),
  );

const pad: SampleSpec = (op, o) =>
  shape(o).chain((s) => {
    const widths = fc.array(fc.nat({ max: 2 }), { minLength: s.length, maxLength: s.length });
    return fc
      .record({ before: widths, after: widths })
      .chain((attrs) => floatInputs(op, [s], attrs, o).map(sampled(attrs)));
  });

const concat: SampleSpec = (op, o) =>
  shape({ ...o, minRank: 1 }).chain((s) =>
    fc
      .record({
        axis: fc.nat({ max: s.length - 1 }),
        lengths: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
      })
      .chain(({ axis, lengths }) => {
        const shapes = lengths.map((len) => s.map((d, i) => (i === axis ? len : d)));
        return floatInputs(op, shapes, { axis }, o).map(sampled({ axis }));
      }),
  );

/** int32 indices of `idxShape` below `bound`. */
const indices = (idxShape: Shape, bound: number): fc.Arbitrary<Tensor> =>
  fc
    .array(fc.nat({ max: bound - 1 }), { minLength: sizeOf(idxShape), maxLength: sizeOf(idxShape) })
    .map((vs) => makeTensor(Int32Array.from(vs), { shape: [...idxShape] }));

const gather: SampleSpec = (op, o) =>
  fc
    .tuple(shape({ ...o, minRank: 1 }), shape({ maxRank: 2 }))
    .chain(([s, idxShape]) =>
      fc
        .nat({ max: s.length - 1 })
        .chain((axis) =>
          fc
            .tuple(floatInputs(op, [s], { axis }, o), indices(idxShape, s[axis]))
            .map(([[x], idx]) => ({ inputs: [x, idx], attrs: { axis } })),
        ),
    );

/** Logits [...batch, classes ≥ 1] and one class index per row. */
const softmaxCrossEntropy: SampleSpec = (op, o) =>
  shape({ ...o, minRank: 1 }).chain((s) => {
    const classes = Math.max(1, s[s.length - 1]);
    const logits = [...s.slice(0, -1), classes];
    return fc
      .tuple(floatInputs(op, [logits], undefined, o), indices(s.slice(0, -1), classes))
      .map(([[x], labels]) => ({ inputs: [x, labels], attrs: undefined }));
  });

const scatterAdd: SampleSpec = (op, o) =>
  fc
    .record({
      outer: shape({ maxRank: 1 }),
      inner: shape({ maxRank: 1 }),
      idxShape: shape({ maxRank: 2 }),
      size: fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ outer, inner, idxShape, size }) => {
      const attrs = { axis: outer.length, size };
      return fc
        .tuple(floatInputs(op, [[...outer, ...idxShape, ...inner]], attrs, o), indices(idxShape, size))
        .map(([[updates], idx]) => ({ inputs: [updates, idx], attrs }));
    });

const where: SampleSpec = (op, o) =>
  broadcastableShapes(3, o).chain(([c, a, b]) =>
    fc
      .tuple(
        tensor({ shape: c, dtype: 'int32', domain: { min: 0, max: 1 } }),
        floatInputs(op, [a, b], undefined, o),
      )
      .map(([cond, [x, y]]) => ({ inputs: [cond, x, y], attrs: undefined })),
  );

const cast: SampleSpec = (op, o) =>
  shape(o).chain((s) => floatInputs(op, [s], undefined, o).map(sampled({ dtype: 'float64' })));

const alpha = fc.record({ alpha: fc.double({ min: 0.01, max: 2, noNaN: true }) });
const clipBounds = fc
  .tuple(fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: 0.1, max: 2, noNaN: true }))
  .map(([min, width]) => ({ min, max: min + width }));

/** For ops that cannot index or reduce an empty axis: shapes keep every dimension ≥ 1 whatever minDim says. */
const nonEmpty =
  (spec: SampleSpec): SampleSpec =>
  (op, o) =>
    spec(op, { ...o, minDim: Math.max(1, o.minDim ?? 1) });

/** The sample spec of every op in the table. */
export const opSamples = {
  add: elementwise,
  sub: elementwise,
  mul: elementwise,
  div: elementwise,
  pow: elementwise,
  maximum: distinctElementwise,
  minimum: distinctElementwise,
  greater: distinctElementwise,
  greaterEqual: distinctElementwise,
  less: distinctElementwise,
  lessEqual: distinctElementwise,
  equal: distinctElementwise,
  logicalAnd: distinctElementwise,
  neg: elementwise,
  identity: elementwise,
  square: elementwise,
  sqrt: elementwise,
  exp: elementwise,
  log: elementwise,
  abs: elementwise,
  sign: elementwise,
  sin: elementwise,
  cos: elementwise,
  tanh: elementwise,
  sigmoid: elementwise,
  softplus: elementwise,
  relu: elementwise,
  addRelu: awayFromZeroSum,
  leakyRelu: unaryWith(alpha),
  elu: unaryWith(alpha),
  step: elementwise,
  clip: unaryWith(clipBounds),
  where,
  cast,
  sum: reduction(false),
  max: nonEmpty(reduction(true)),
  min: nonEmpty(reduction(true)),
  logSumExp: reduction(false),
  softmax: alongAxis,
  logSoftmax: alongAxis,
  softmaxCrossEntropy,
  matmul,
  reshape,
  permute,
  broadcastTo,
  slice: nonEmpty(slice),
  pad,
  concat,
  gather: nonEmpty(gather),
  scatterAdd,
} as const satisfies Record<OpName, SampleSpec>;

/** Names of the table's ops that have no sample spec (empty when the map is complete). */
export function opsWithoutSamples(): string[] {
  return Object.keys(opTable).filter((name) => !(name in opSamples));
}

/**
 * Operands and attributes for `op`, drawn from its declared domain with kinks avoided by a margin (default
 * 1e-3). An op of the table (or a modified copy with the same name) uses its sample spec; any other op with a
 * fixed arity is treated as a broadcasting elementwise op without attributes.
 */
export function inDomainOf(op: OpDef | OpName, options: SampleOptions = {}): fc.Arbitrary<OpSample> {
  const def = typeof op === 'string' ? (opTable[op] as OpDef | undefined) : op;
  if (!def) {
    throw new ChainruleError(
      'inDomainOf',
      `no op named '${String(op)}' in the table`,
      'pass an OpDef or a table name',
    );
  }
  const spec = (opSamples as Record<string, SampleSpec | undefined>)[def.name];
  if (spec) return spec(def, options);
  if (typeof def.arity !== 'number' || (def.operands ?? []).some((k) => k !== 'float')) {
    throw new ChainruleError(
      'inDomainOf',
      `op '${def.name}' is not in the table and is not a plain float elementwise op`,
      'build its inputs with tensor() and broadcastableShapes() yourself',
    );
  }
  return elementwise(def, options);
}

/** Gradient cases for one op: `apply(op, inputs, attrs)` at samples drawn by `inDomainOf`. */
export function opCases(op: OpDef | OpName, options: SampleOptions = {}): fc.Arbitrary<GradientCase> {
  const def = typeof op === 'string' ? (opTable[op] as OpDef) : op;
  return inDomainOf(def, options).map(({ inputs, attrs }) => ({
    f: (...xs: Tensor[]) => apply(def, xs, attrs),
    inputs,
  }));
}
