/**
 * WebAssembly instructions as byte arrays, composed like expressions: `add(get('i'), i32(4))` is the code that
 * pushes i + 4. Only the instructions the kernels use are here; the SIMD ones are the fixed-width 128-bit set.
 */
import type { FunctionSpec, ValType } from './encoding.js';
import { sleb, uleb } from './encoding.js';

/** A sequence of instruction bytes. */
export type Code = readonly number[];

/** Concatenates pieces of code. */
export const join = (...parts: Code[]): number[] => parts.flat();
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const memarg = (align: number, offset: number): number[] => [...uleb(align), ...uleb(offset)];

/** i32.const */
export const i32 = (n: number): Code => [0x41, ...sleb(n)];
/** i32 arithmetic and comparisons (signed where it matters). */
export const add = (a: Code, b: Code): Code => join(a, b, [0x6a]);
export const sub = (a: Code, b: Code): Code => join(a, b, [0x6b]);
export const mul = (a: Code, b: Code): Code => join(a, b, [0x6c]);
export const shl = (a: Code, b: Code): Code => join(a, b, [0x74]);
export const eq = (a: Code, b: Code): Code => join(a, b, [0x46]);
export const ne = (a: Code, b: Code): Code => join(a, b, [0x47]);
export const lt = (a: Code, b: Code): Code => join(a, b, [0x48]);
export const gt = (a: Code, b: Code): Code => join(a, b, [0x4a]);
export const le = (a: Code, b: Code): Code => join(a, b, [0x4c]);
export const and = (a: Code, b: Code): Code => join(a, b, [0x71]);
export const or = (a: Code, b: Code): Code => join(a, b, [0x72]);
export const shrU = (a: Code, b: Code): Code => join(a, b, [0x76]);
/** `cond ? a : b` for numeric (non-vector) values; both operands are evaluated. */
export const select = (a: Code, b: Code, cond: Code): Code => join(a, b, cond, [0x1b]);

/** A loop whose body runs once and repeats while the body branches to depth 0 (see `repeatWhile`). */
export const loop = (...body: Code[]): Code => join([0x03, 0x40], ...body, [0x0b]);
/** Branches back to the innermost enclosing loop when `cond` is non-zero. */
export const repeatWhile = (cond: Code): Code => join(cond, [0x0d, 0x00]);
/** if/else without results. */
export const ifElse = (cond: Code, then: Code, otherwise: Code = []): Code =>
  otherwise.length
    ? join(cond, [0x04, 0x40], then, [0x05], otherwise, [0x0b])
    : join(cond, [0x04, 0x40], then, [0x0b]);

/** Scalar loads and stores of one element type, plus the 128-bit vector instructions on it. */
export interface ElementIsa {
  /** Bytes per element and log2 of it. */
  readonly bytes: number;
  readonly shift: number;
  /** Elements per 128-bit vector. */
  readonly lanes: number;
  readonly scalarType: ValType;
  load(addr: Code, offset?: number): Code;
  store(addr: Code, value: Code, offset?: number): Code;
  zero(): Code;
  /** A vector with the element at `addr` in every lane. */
  loadSplat(addr: Code, offset?: number): Code;
  /** A vector with a scalar value of this element type in every lane. */
  splat(value: Code): Code;
  /** The four arithmetic operations, on vectors and on scalars. */
  vector(op: Arithmetic, a: Code, b: Code): Code;
  scalar(op: Arithmetic, a: Code, b: Code): Code;
  /**
   * a·b + c on vectors, fused or not as the hardware has it (relaxed SIMD's madd: one rounding where the CPU
   * has FMA, which V8 uses when present); needs a runtime with relaxed SIMD.
   */
  relaxedMadd(a: Code, b: Code, c: Code): Code;
  /**
   * The unary operations, on vectors and on scalars. relu and step read `a` more than once: pass a local.get.
   */
  vectorUnary(op: UnaryArithmetic, a: Code): Code;
  scalarUnary(op: UnaryArithmetic, a: Code): Code;
  /** i32 1 when a scalar, or any lane of a vector, differs from zero (NaN does; −0 does not). */
  scalarNonZero(a: Code): Code;
  vectorNonZero(a: Code): Code;
  /** i32 1 when no lane of the vector is NaN (reads `a` twice: pass a local.get). */
  vectorOrdered(a: Code): Code;
}

/**
 * Unary operations that are exact or correctly rounded in both WebAssembly and JS: square root, negation,
 * relu (x > 0 ? x : 0) and the Heaviside step (x > 0 ? 1 : 0), the last two passing NaN through.
 */
export type UnaryArithmetic = 'sqrt' | 'neg' | 'relu' | 'step';

/** Opcodes of one element type's comparisons and constants, from which relu and step are built. */
interface Comparisons {
  readonly vectorEq: number;
  readonly vectorNe: number;
  readonly vectorLe: number;
  readonly scalarNe: number;
  readonly scalarLe: number;
  readonly zero: Code;
  readonly one: Code;
  readonly splat: (value: Code) => Code;
}

/**
 * relu and step without branches (data-dependent branches mispredict on half the elements of an activation):
 * lanes where x ≤ 0 become +0, which keeps positive values (relu) or ones (step) and NaN, since NaN ≤ 0 is
 * false; step takes x itself where x ≠ x, so NaN passes through as in the TypeScript loops.
 */
function maskedUnary(c: Comparisons, op: 'relu' | 'step', x: Code, vector: boolean): Code {
  if (vector) {
    const kept = op === 'relu' ? x : join(x, c.splat(c.one), x, x, simd(c.vectorNe), simd(0x52)); // bitselect
    return join(kept, x, c.splat(c.zero), simd(c.vectorLe), simd(0x4f)); // v128.andnot
  }
  const kept = op === 'relu' ? x : join(x, c.one, x, x, [c.scalarNe, 0x1b]); // select
  return join(c.zero, kept, x, c.zero, [c.scalarLe, 0x1b]);
}

/** v128.any_true and i32x4.all_true (a comparison's lanes are all ones or all zeros, whatever their width). */
const anyTrue = simd(0x53);
const allTrue = simd(0xa3);

/** The zero and NaN tests of one element type (see `ElementIsa`). */
function tests(c: Comparisons): Pick<ElementIsa, 'scalarNonZero' | 'vectorNonZero' | 'vectorOrdered'> {
  return {
    scalarNonZero: (a) => join(a, c.zero, [c.scalarNe]),
    vectorNonZero: (a) => join(a, c.splat(c.zero), simd(c.vectorNe), anyTrue),
    vectorOrdered: (a) => join(a, a, simd(c.vectorEq), allTrue),
  };
}

/** Arithmetic with one rounding, identical in WebAssembly and JS (for float32, JS's double result rounds the same). */
export type Arithmetic = 'add' | 'sub' | 'mul' | 'div';
const arithmetic: readonly Arithmetic[] = ['add', 'sub', 'mul', 'div'];

/** The binary operations of the elementwise kernels: arithmetic, and relu(a + b) (a fused bias + activation). */
export type BinaryArithmetic = Arithmetic | 'addRelu';
/** Opcode of `op` given the opcode of add (the four are consecutive in each group). */
const opcode = (addCode: number, op: Arithmetic): number => addCode + arithmetic.indexOf(op);

/** i32 load and store. */
export const i32Load = (addr: Code, offset = 0): Code => join(addr, [0x28], memarg(2, offset));
export const i32Store = (addr: Code, value: Code, offset = 0): Code =>
  join(addr, value, [0x36], memarg(2, offset));

/** 128-bit vector load and store (any lane type). */
export const v128Load = (addr: Code, offset = 0): Code => join(addr, simd(0x00), memarg(4, offset));
export const v128Store = (addr: Code, value: Code, offset = 0): Code =>
  join(addr, value, simd(0x0b), memarg(4, offset));

const f32Constant = (value: number): Code => [0x43, ...new Uint8Array(Float32Array.of(value).buffer)];
const f64Constant = (value: number): Code => [0x44, ...new Uint8Array(Float64Array.of(value).buffer)];

const f32Compare: Comparisons = {
  vectorEq: 0x41,
  vectorNe: 0x42,
  vectorLe: 0x45,
  scalarNe: 0x5c,
  scalarLe: 0x5f,
  zero: f32Constant(0),
  one: f32Constant(1),
  splat: (value) => join(value, simd(0x13)),
};

const f64Compare: Comparisons = {
  vectorEq: 0x47,
  vectorNe: 0x48,
  vectorLe: 0x4b,
  scalarNe: 0x62,
  scalarLe: 0x65,
  zero: f64Constant(0),
  one: f64Constant(1),
  splat: (value) => join(value, simd(0x14)),
};

/** f32 scalars and f32x4 vectors. */
export const f32Isa: ElementIsa = {
  bytes: 4,
  shift: 2,
  lanes: 4,
  scalarType: 0x7d,
  load: (addr, offset = 0) => join(addr, [0x2a], memarg(2, offset)),
  store: (addr, value, offset = 0) => join(addr, value, [0x38], memarg(2, offset)),
  zero: () => f32Compare.zero,
  loadSplat: (addr, offset = 0) => join(addr, simd(0x09), memarg(2, offset)),
  splat: f32Compare.splat,
  vector: (op, a, b) => join(a, b, simd(opcode(0xe4, op))),
  relaxedMadd: (a, b, c) => join(a, b, c, simd(0x105)),
  scalar: (op, a, b) => join(a, b, [opcode(0x92, op)]),
  vectorUnary: (op, a) =>
    op === 'relu' || op === 'step'
      ? maskedUnary(f32Compare, op, a, true)
      : join(a, simd(op === 'sqrt' ? 0xe3 : 0xe1)),
  scalarUnary: (op, a) =>
    op === 'relu' || op === 'step'
      ? maskedUnary(f32Compare, op, a, false)
      : join(a, [op === 'sqrt' ? 0x91 : 0x8c]),
  ...tests(f32Compare),
};

/** f64 scalars and f64x2 vectors. */
export const f64Isa: ElementIsa = {
  bytes: 8,
  shift: 3,
  lanes: 2,
  scalarType: 0x7c,
  load: (addr, offset = 0) => join(addr, [0x2b], memarg(3, offset)),
  store: (addr, value, offset = 0) => join(addr, value, [0x39], memarg(3, offset)),
  zero: () => f64Compare.zero,
  loadSplat: (addr, offset = 0) => join(addr, simd(0x0a), memarg(3, offset)),
  splat: f64Compare.splat,
  vector: (op, a, b) => join(a, b, simd(opcode(0xf0, op))),
  relaxedMadd: (a, b, c) => join(a, b, c, simd(0x107)),
  scalar: (op, a, b) => join(a, b, [opcode(0xa0, op)]),
  vectorUnary: (op, a) =>
    op === 'relu' || op === 'step'
      ? maskedUnary(f64Compare, op, a, true)
      : join(a, simd(op === 'sqrt' ? 0xef : 0xed)),
  scalarUnary: (op, a) =>
    op === 'relu' || op === 'step'
      ? maskedUnary(f64Compare, op, a, false)
      : join(a, [op === 'sqrt' ? 0x9f : 0x9a]),
  ...tests(f64Compare),
};

/** Builds one function with named parameters and locals. */
export class FunctionBuilder {
  private readonly slots = new Map<string, number>();
  private readonly paramTypes: ValType[] = [];
  private readonly localTypes: ValType[] = [];

  constructor(
    private readonly name: string,
    params: readonly (readonly [string, ValType])[],
  ) {
    for (const [n, t] of params) {
      this.slots.set(n, this.paramTypes.length);
      this.paramTypes.push(t);
    }
  }

  /** Declares locals of one type. */
  locals(type: ValType, ...names: string[]): this {
    for (const n of names) {
      if (this.slots.has(n)) throw new Error(`wasm builder: local '${n}' declared twice in ${this.name}`);
      this.slots.set(n, this.paramTypes.length + this.localTypes.length);
      this.localTypes.push(type);
    }
    return this;
  }

  private slot(n: string): number[] {
    const i = this.slots.get(n);
    if (i === undefined) throw new Error(`wasm builder: unknown local '${n}' in ${this.name}`);
    return uleb(i);
  }

  /** local.get */
  get(n: string): Code {
    return [0x20, ...this.slot(n)];
  }

  /** local.set */
  set(n: string, value: Code): Code {
    return join(value, [0x21], this.slot(n));
  }

  /** local += step (i32). */
  inc(n: string, step: Code): Code {
    return this.set(n, add(this.get(n), step));
  }

  /** The finished function (no results). */
  build(...body: Code[]): FunctionSpec {
    return {
      name: this.name,
      params: this.paramTypes,
      results: [],
      locals: this.localTypes,
      body: join(...body),
    };
  }
}
