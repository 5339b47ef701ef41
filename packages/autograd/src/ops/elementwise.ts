/**
 * Elementwise ops: arithmetic, transcendental functions, activations, comparisons, where, clip, cast.
 * Each partial derivative is written in ops, so every rule can be differentiated again.
 */
import type { DType, TypedArray } from '../tensor/dtype.js';
import { isFloat } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { convert, select } from '../kernels/elementwise.js';
import { binaryOp, comparisonOp, unaryOp } from './builders.js';
import {
  cast,
  cos,
  div,
  exp,
  greater,
  lessEqual,
  greaterEqual,
  log,
  mul,
  neg,
  pow,
  sigmoid,
  sign,
  sin,
  step,
  sub,
  where,
  logicalAnd,
} from './functions.js';
import type { OpDef } from './types.js';

const sigmoidFn = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplusFn = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const stepFn = (x: number): number => (x > 0 ? 1 : x === x ? 0 : x);
const reluFn = (x: number): number => (x > 0 ? x : x === x ? 0 : x);
const signFn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN);

export const addOp = binaryOp({
  name: 'add',
  formula: { kind: 'infix', symbol: '+', precedence: 1 },
  fn: (x, y) => x + y,
  timesA: (v) => v,
  timesB: (v) => v,
  scalarTimesA: (v) => v,
  scalarTimesB: (v) => v,
});

export const subOp = binaryOp({
  name: 'sub',
  formula: { kind: 'infix', symbol: '−', precedence: 1 },
  fn: (x, y) => x - y,
  timesA: (v) => v,
  timesB: (v) => neg(v),
  scalarTimesA: (v) => v,
  scalarTimesB: (v) => -v,
});

export const mulOp = binaryOp({
  name: 'mul',
  formula: { kind: 'infix', symbol: '·', precedence: 2 },
  fn: (x, y) => x * y,
  timesA: (v, { inputs }) => mul(v, inputs[1]),
  timesB: (v, { inputs }) => mul(v, inputs[0]),
  scalarTimesA: (v, _a, b) => v * b,
  scalarTimesB: (v, a) => v * a,
});

export const divOp = binaryOp({
  name: 'div',
  formula: { kind: 'infix', symbol: '/', precedence: 2 },
  domain: [{}, { min: 0.5, max: 3 }],
  fn: (x, y) => x / y,
  timesA: (v, { inputs }) => div(v, inputs[1]),
  timesB: (v, { inputs, out }) => neg(div(mul(v, out), inputs[1])),
  scalarTimesA: (v, _a, b) => v / b,
  scalarTimesB: (v, _a, b, out) => -((v * out) / b),
});

export const powOp = binaryOp({
  name: 'pow',
  formula: { kind: 'infix', symbol: '^', precedence: 4 },
  domain: [
    { min: 0.2, max: 3 },
    { min: -2, max: 3 },
  ],
  fn: (x, y) => Math.pow(x, y),
  timesA: (v, { inputs: [a, b] }) => mul(v, mul(b, pow(a, sub(b, 1)))),
  timesB: (v, { inputs: [a], out }) => mul(v, mul(out, log(a))),
  scalarTimesA: (v, a, b) => v * (b * Math.pow(a, b - 1)),
  scalarTimesB: (v, a, _b, out) => v * (out * Math.log(a)),
});

export const maximumOp = binaryOp({
  name: 'maximum',
  formula: { kind: 'call', name: 'max' },
  kinks: [{ input: 0, at: 'tie', convention: 'at a tie each operand receives half of the gradient' }],
  fn: (x, y) => (x >= y || Number.isNaN(x) ? x : y),
  timesA: (v, { inputs: [a, b] }) => mul(v, tieMask(a, b)),
  timesB: (v, { inputs: [a, b] }) => mul(v, tieMask(b, a)),
  scalarTimesA: (v, a, b) => v * tieMaskValue(a, b),
  scalarTimesB: (v, a, b) => v * tieMaskValue(b, a),
});

export const minimumOp = binaryOp({
  name: 'minimum',
  formula: { kind: 'call', name: 'min' },
  kinks: [{ input: 0, at: 'tie', convention: 'at a tie each operand receives half of the gradient' }],
  fn: (x, y) => (x <= y || Number.isNaN(x) ? x : y),
  timesA: (v, { inputs: [a, b] }) => mul(v, tieMask(b, a)),
  timesB: (v, { inputs: [a, b] }) => mul(v, tieMask(a, b)),
  scalarTimesA: (v, a, b) => v * tieMaskValue(b, a),
  scalarTimesB: (v, a, b) => v * tieMaskValue(a, b),
});

/** 1 where a > b, ½ where a = b, 0 elsewhere. */
function tieMask(a: Tensor, b: Tensor): Tensor {
  return mul(0.5, greaterEqual(a, b).add(greater(a, b)));
}

/** `tieMask` on numbers. */
function tieMaskValue(a: number, b: number): number {
  return 0.5 * ((a >= b ? 1 : 0) + (a > b ? 1 : 0));
}

export const greaterOp = comparisonOp('greater', '>', (x, y) => x > y);
export const greaterEqualOp = comparisonOp('greaterEqual', '≥', (x, y) => x >= y);
export const lessOp = comparisonOp('less', '<', (x, y) => x < y);
export const lessEqualOp = comparisonOp('lessEqual', '≤', (x, y) => x <= y);
export const equalOp = comparisonOp('equal', '=', (x, y) => x === y);
export const logicalAndOp = comparisonOp('logicalAnd', '∧', (x, y) => x !== 0 && y !== 0);

export const negOp = unaryOp({
  name: 'neg',
  formula: { kind: 'prefix', symbol: '−', precedence: 3 },
  fn: () => (x) => -x,
  times: (v) => neg(v),
  scalarTimes: (v) => -v,
});

export const identityOp: OpDef = {
  ...unaryOp({
    name: 'identity',
    formula: { kind: 'call', name: 'id' },
    fn: () => (x) => x,
    times: (v) => v,
    scalarTimes: (v) => v,
  }),
  returnsInput: true,
};

export const squareOp = unaryOp({
  name: 'square',
  formula: { kind: 'postfix', symbol: '²', precedence: 5 },
  fn: () => (x) => x * x,
  times: (v, { inputs: [x] }) => mul(v, mul(2, x)),
  scalarTimes: (v, x) => v * (2 * x),
});

export const sqrtOp = unaryOp({
  name: 'sqrt',
  formula: { kind: 'call', name: 'sqrt' },
  domain: [{ min: 0.1, max: 10 }],
  fn: () => Math.sqrt,
  times: (v, { out }) => div(v, mul(2, out)),
  scalarTimes: (v, _x, _b, out) => v / (2 * out),
});

export const expOp = unaryOp({
  name: 'exp',
  formula: { kind: 'call', name: 'exp' },
  domain: [{ min: -3, max: 3 }],
  fn: () => Math.exp,
  times: (v, { out }) => mul(v, out),
  scalarTimes: (v, _x, _b, out) => v * out,
});

export const logOp = unaryOp({
  name: 'log',
  formula: { kind: 'call', name: 'log' },
  domain: [{ min: 0.1, max: 10 }],
  fn: () => Math.log,
  times: (v, { inputs: [x] }) => div(v, x),
  scalarTimes: (v, x) => v / x,
});

export const absOp = unaryOp({
  name: 'abs',
  formula: { kind: 'call', name: 'abs' },
  kinks: [{ input: 0, at: 0, convention: "abs'(0) = 0 (sign(0) = 0), as in PyTorch" }],
  fn: () => Math.abs,
  times: (v, { inputs: [x] }) => mul(v, sign(x)),
  scalarTimes: (v, x) => v * signFn(x),
});

export const signOp = unaryOp({
  name: 'sign',
  formula: { kind: 'call', name: 'sign' },
  kinks: [{ input: 0, at: 0, convention: "sign'(x) = 0 everywhere it exists; sign(0) = 0" }],
  fn: () => signFn,
  times: () => null,
});

export const sinOp = unaryOp({
  name: 'sin',
  formula: { kind: 'call', name: 'sin' },
  fn: () => Math.sin,
  times: (v, { inputs: [x] }) => mul(v, cos(x)),
  scalarTimes: (v, x) => v * Math.cos(x),
});

export const cosOp = unaryOp({
  name: 'cos',
  formula: { kind: 'call', name: 'cos' },
  fn: () => Math.cos,
  times: (v, { inputs: [x] }) => neg(mul(v, sin(x))),
  scalarTimes: (v, x) => -(v * Math.sin(x)),
});

export const tanhOp = unaryOp({
  name: 'tanh',
  formula: { kind: 'call', name: 'tanh' },
  fn: () => Math.tanh,
  times: (v, { out }) => mul(v, sub(1, mul(out, out))),
  scalarTimes: (v, _x, _b, out) => v * (1 - out * out),
});

export const sigmoidOp = unaryOp({
  name: 'sigmoid',
  formula: { kind: 'call', name: 'σ' },
  fn: () => sigmoidFn,
  times: (v, { out }) => mul(v, mul(out, sub(1, out))),
  scalarTimes: (v, _x, _b, out) => v * (out * (1 - out)),
});

export const softplusOp = unaryOp({
  name: 'softplus',
  formula: { kind: 'call', name: 'softplus' },
  fn: () => softplusFn,
  times: (v, { inputs: [x] }) => mul(v, sigmoid(x)),
  scalarTimes: (v, x) => v * sigmoidFn(x),
});

export const reluOp = unaryOp({
  name: 'relu',
  formula: { kind: 'call', name: 'relu' },
  kinks: [{ input: 0, at: 0, convention: "relu'(0) = 0, as in PyTorch and TensorFlow" }],
  fn: () => reluFn,
  times: (v, { inputs: [x] }) => mul(v, step(x)),
  scalarTimes: (v, x) => v * stepFn(x),
});

/** v where the output is positive, else 0: both partials of addRelu (one function, so the vjp runs it once). */
function passWhereOutPositive(v: Tensor, { out }: { readonly out: Tensor }): Tensor {
  return mul(v, step(out));
}

/**
 * relu(a + b) in one pass: the fused bias + activation of a dense layer (one output array and one loop instead
 * of two). Its values and both cotangents equal relu(add(a, b)) bit for bit: relu is exact, so rounding the sum
 * once is all either form does, and step(out) is step(a + b).
 */
export const addReluOp = binaryOp({
  name: 'addRelu',
  formula: { kind: 'call', name: 'addRelu' },
  kinks: [{ input: 0, at: 'sum', convention: "where a + b = 0 both gradients are 0 (relu'(0) = 0)" }],
  fn: (x, y) => reluFn(x + y),
  timesA: passWhereOutPositive,
  timesB: passWhereOutPositive,
  scalarTimesA: (v, _a, _b, out) => v * stepFn(out),
  scalarTimesB: (v, _a, _b, out) => v * stepFn(out),
});

/** Attributes of leakyRelu and elu. */
export interface AlphaAttrs {
  readonly alpha: number;
}

export const leakyReluOp = unaryOp<AlphaAttrs>({
  name: 'leakyRelu',
  formula: { kind: 'call', name: 'leakyRelu' },
  kinks: [{ input: 0, at: 0, convention: "leakyRelu'(0) = α (the x ≤ 0 branch), as in PyTorch" }],
  describeAttrs: ({ alpha }) => `α=${alpha}`,
  fn:
    ({ alpha }) =>
    (x) =>
      x > 0 ? x : alpha * x,
  // where(x > 0, v, αv) keeps v's dtype (a mask built from two plain numbers would be float64).
  times: (v, { inputs: [x], attrs: { alpha } }) => where(greater(x, 0), v, mul(v, alpha)),
  scalarTimes: (v, x, _b, _out, { alpha }) => (x > 0 ? v : v * alpha),
});

export const eluOp = unaryOp<AlphaAttrs>({
  name: 'elu',
  formula: { kind: 'call', name: 'elu' },
  kinks: [{ input: 0, at: 0, convention: "elu'(0) = α (the x ≤ 0 branch), as in PyTorch" }],
  describeAttrs: ({ alpha }) => `α=${alpha}`,
  fn:
    ({ alpha }) =>
    (x) =>
      x > 0 ? x : alpha * Math.expm1(x),
  times: (v, { inputs: [x], attrs: { alpha } }) => mul(v, where(greater(x, 0), 1, mul(alpha, exp(x)))),
  scalarTimes: (v, x, _b, _out, { alpha }) => v * (x > 0 ? 1 : alpha * Math.exp(x)),
});

export const stepOp = unaryOp({
  name: 'step',
  formula: { kind: 'call', name: 'H' },
  kinks: [
    {
      input: 0,
      at: 0,
      convention: "Heaviside step with H(0) = 0; H'(x) = 0 wherever it exists, and 0 is used at the jump",
    },
  ],
  fn: () => stepFn,
  times: () => null,
});

/** Attributes of clip. */
export interface ClipAttrs {
  readonly min: number;
  readonly max: number;
}

export const clipOp = unaryOp<ClipAttrs>({
  name: 'clip',
  formula: { kind: 'call', name: 'clip' },
  kinks: [
    {
      input: 0,
      at: { attr: 'min' },
      convention: 'the gradient passes at x = min (inclusive), as in PyTorch clamp',
    },
    {
      input: 0,
      at: { attr: 'max' },
      convention: 'the gradient passes at x = max (inclusive), as in PyTorch clamp',
    },
  ],
  describeAttrs: ({ min, max }) => `[${min}, ${max}]`,
  fn:
    ({ min, max }) =>
    (x) =>
      x < min ? min : x > max ? max : x,
  times: (v, { inputs: [x], attrs: { min, max } }) =>
    mul(v, logicalAnd(greaterEqual(x, min), lessEqual(x, max))),
  scalarTimes: (v, x, _b, _out, { min, max }) => v * (x >= min && x <= max ? 1 : 0),
});

export const whereOp: OpDef = {
  name: 'where',
  arity: 3,
  operands: ['any', 'float', 'float'],
  formula: { kind: 'call', name: 'where' },
  shape: (shapes: readonly Shape[]) => broadcastShapes('where', shapes),
  forward: ([c, a, b]: readonly Tensor[], _attrs: unknown, out: TypedArray, outShape: Shape) =>
    select(c.data, c.shape, a.data, a.shape, b.data, b.shape, out, outShape),
  vjp: ({ g, inputs: [c], needs }) => [
    null,
    needs[1] ? where(c, g, 0) : null,
    needs[2] ? where(c, 0, g) : null,
  ],
  jvp: ({ tangents: [, ta, tb], inputs: [c] }) => (ta || tb ? where(c, ta ?? 0, tb ?? 0) : null),
};

/** Attributes of cast. */
export interface CastAttrs {
  readonly dtype: DType;
}

export const castOp: OpDef<CastAttrs> = {
  name: 'cast',
  arity: 1,
  operands: ['any'],
  formula: { kind: 'call', name: 'cast' },
  describeAttrs: ({ dtype }) => dtype,
  shape: (shapes: readonly Shape[]) => shapes[0],
  dtype: (_dtypes, { dtype }) => dtype,
  forward: ([x]: readonly Tensor[], _attrs: CastAttrs, out: TypedArray) => convert(x.data, out),
  vjp: ({ g, inputs: [x], needs }) => [
    needs[0] && isFloat(x.dtype) && isFloat(g.dtype) ? cast(g, x.dtype) : null,
  ],
  jvp: ({ tangents: [t], attrs: { dtype } }) => (t && isFloat(dtype) ? cast(t, dtype) : null),
};
