/**
 * Builders for elementwise ops. An elementwise op's derivative rules are both "multiply a vector by the
 * partial derivative": `times(v, ctx)` returns v ⊙ ∂out/∂input, so the vjp is times(g) and the jvp is
 * Σ times(tangent). Writing the partial once keeps the two rules from drifting apart.
 */
import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryKernel, unaryKernel } from '../kernels/elementwise.js';
import type { BinaryArithmetic, UnaryArithmetic } from '../kernels/wasm/instructions.js';
import type { Domain, FormulaSpec, Kink, OpDef, ScalarRules } from './types.js';
import { add } from './functions.js';
import { specialize } from '../kernels/specialize.js';

const simdArithmetic: readonly BinaryArithmetic[] = ['add', 'sub', 'mul', 'div', 'addRelu'];
const simdUnary: readonly UnaryArithmetic[] = ['sqrt', 'neg', 'relu', 'step'];

/** Operands and result of an elementwise op, as seen by its partial-derivative rules. */
export interface ElementwiseContext<A> {
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  readonly attrs: A;
}

/** v ⊙ ∂out/∂input, in ops; null when the partial is zero everywhere. */
export type Times<A> = (v: Tensor, ctx: ElementwiseContext<A>) => Tensor | null;

/**
 * The same product on plain numbers, for 0-d operands: v·∂out/∂input written with the same operations in
 * the same order as the op-level rule (so the two agree bit for bit). `b` is 0 for unary ops.
 */
export type ScalarTimes<A> = (v: number, a: number, b: number, out: number, attrs: A) => number;

interface ElementwiseSpec<A> {
  readonly name: string;
  readonly formula: FormulaSpec;
  readonly domain?: readonly Domain[];
  readonly kinks?: readonly Kink[];
  describeAttrs?(attrs: A): string;
}

/** Defines a unary elementwise op from its scalar function and one partial-derivative rule. */
export function unaryOp<A = undefined>(
  spec: ElementwiseSpec<A> & {
    readonly fn: (attrs: A) => (x: number) => number;
    readonly times: Times<A>;
    readonly scalarTimes?: ScalarTimes<A>;
  },
): OpDef<A> {
  // This op's own loops, so V8 inlines spec.fn into them; sqrt, neg, relu and step also get SIMD kernels.
  const kernel = unaryKernel(
    spec.name,
    simdUnary.find((op) => op === spec.name),
  );
  return {
    ...spec,
    arity: 1,
    writesAll: true,
    shape: (shapes: readonly Shape[]) => shapes[0],
    forward: (inputs: readonly Tensor[], attrs: A, out: TypedArray) =>
      kernel(inputs[0].data, out, spec.fn(attrs)),
    vjp: ({ g, inputs, out, attrs, needs }) => [needs[0] ? spec.times(g, { inputs, out, attrs }) : null],
    jvp: ({ tangents, inputs, out, attrs }) =>
      tangents[0] ? spec.times(tangents[0], { inputs, out, attrs }) : null,
    scalar: scalarRules(spec.name, spec.fn, spec.scalarTimes && [spec.scalarTimes]),
  };
}

/**
 * An op's plain-number vjp around its partials. Each op gets its own compiled copy (`specialize`), so V8
 * inlines the partials into it and no number crosses a call it cannot inline (see `ScalarRules.vjp`).
 */
function scalarVjp<A>(partialA: ScalarTimes<A>, partialB: ScalarTimes<A> | undefined) {
  return (io: Float64Array, attrs: A): void => {
    const g = io[0];
    const a = io[1];
    const b = io[2];
    const out = io[3];
    io[0] = partialA(g, a, b, out, attrs);
    if (partialB !== undefined) io[1] = partialB(g, a, b, out, attrs);
  };
}

/**
 * The plain-number rules of an elementwise op, or undefined when it has no scalar partials. For ops without
 * attributes the scalar function is built once, not per call.
 */
function scalarRules<A>(
  name: string,
  fn: (attrs: A) => (x: number, y: number) => number,
  partials: readonly [ScalarTimes<A>] | readonly [ScalarTimes<A>, ScalarTimes<A>] | undefined,
): ScalarRules<A> | undefined {
  if (!partials) return undefined;
  let plain: ((x: number, y: number) => number) | undefined;
  return {
    forward: (a, b, attrs) => {
      if (attrs !== undefined) return fn(attrs)(a, b);
      plain ??= fn(attrs);
      return plain(a, b);
    },
    vjp: specialize(scalarVjp, `scalarVjp:${name}`)(partials[0], partials[1]),
  };
}

/** Defines a binary elementwise op (with broadcasting) from its scalar function and two partial rules. */
export function binaryOp<A = undefined>(
  spec: ElementwiseSpec<A> & {
    readonly fn: (x: number, y: number) => number;
    readonly timesA: Times<A>;
    readonly timesB: Times<A>;
    readonly scalarTimesA?: ScalarTimes<A>;
    readonly scalarTimesB?: ScalarTimes<A>;
  },
): OpDef<A> {
  const rules = [spec.timesA, spec.timesB];
  // This op's own loops, so V8 inlines spec.fn into them; the four arithmetic ops and addRelu also get SIMD
  // kernels.
  const kernel = binaryKernel(
    spec.name,
    simdArithmetic.find((op) => op === spec.name),
  );
  return {
    ...spec,
    arity: 2,
    writesAll: true,
    shape: (shapes: readonly Shape[]) => broadcastShapes(spec.name, shapes),
    forward: ([a, b]: readonly Tensor[], _attrs: A, out: TypedArray, outShape: Shape) =>
      kernel(a.data, a.shape, b.data, b.shape, out, outShape, spec.fn),
    vjp: ({ g, inputs, out, attrs, needs }) => {
      const first = needs[0] ? rules[0](g, { inputs, out, attrs }) : null;
      // One rule for both operands (addRelu): the same cotangent, computed once.
      if (rules[1] === rules[0] && needs[0]) return [first, needs[1] ? first : null];
      return [first, needs[1] ? rules[1](g, { inputs, out, attrs }) : null];
    },
    jvp: ({ tangents, inputs, out, attrs }) => {
      let total: Tensor | null = null;
      for (let i = 0; i < rules.length; i++) {
        const t = tangents[i];
        const term = t ? rules[i](t, { inputs, out, attrs }) : null;
        if (term) total = total ? add(total, term) : term;
      }
      return total;
    },
    scalar: scalarRules(
      spec.name,
      () => spec.fn,
      spec.scalarTimesA && spec.scalarTimesB && [spec.scalarTimesA, spec.scalarTimesB],
    ),
  };
}

/** Defines a comparison: a 0/1 mask in the operands' float dtype, with zero derivative. */
export function comparisonOp(name: string, symbol: string, fn: (x: number, y: number) => boolean): OpDef {
  return binaryOp({
    name,
    formula: { kind: 'infix', symbol, precedence: 0 },
    fn: (x, y) => (fn(x, y) ? 1 : 0),
    timesA: () => null,
    timesB: () => null,
  }) as OpDef;
}
