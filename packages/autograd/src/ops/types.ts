import type { DType, TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * What an operand may be: 'float' (float32/float64), 'data' (any dtype; moved, not computed on), 'int' (int32
 * indices) or 'any' (unconstrained, e.g. a condition). All 'float' and 'data' operands share one dtype.
 */
export type OperandKind = 'float' | 'data' | 'int' | 'any';

/** Context handed to a vector–Jacobian rule. */
export interface VjpContext<A> {
  /** Cotangent of the output (same shape as `out`). */
  readonly g: Tensor;
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  readonly attrs: A;
  /** needs[i] is false when input i does not need a gradient; its rule may then return null. */
  readonly needs: readonly boolean[];
}

/** Context handed to a Jacobian–vector rule. */
export interface JvpContext<A> {
  /** Tangent of each input, null where it is zero. */
  readonly tangents: readonly (Tensor | null)[];
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  readonly attrs: A;
}

/** How the formula printer shows an op. */
export type FormulaSpec =
  | { readonly kind: 'infix'; readonly symbol: string; readonly precedence: number }
  | { readonly kind: 'prefix'; readonly symbol: string; readonly precedence: number }
  | { readonly kind: 'postfix'; readonly symbol: string; readonly precedence: number }
  | { readonly kind: 'call'; readonly name: string };

/** Where an input may be drawn from in property tests (open interval; kinks avoided by `margin`). */
export interface Domain {
  readonly min?: number;
  readonly max?: number;
}

/** A point where the op is not differentiable and the value its rule uses there. */
export interface Kink {
  /**
   * Which input, and at which value of it: a number, 'tie' (two inputs equal), 'sum' (the two inputs sum to
   * zero), or an attribute's value.
   */
  readonly input: number;
  readonly at: number | 'tie' | 'sum' | { readonly attr: string };
  /** Human-readable convention, e.g. "relu'(0) = 0". */
  readonly convention: string;
}

/**
 * Plain-number versions of an elementwise op's forward function and vjp, for graphs of 0-d tensors (the
 * micrograd workload is almost all per-node overhead). They must give exactly what `forward` and `vjp` give on
 * 0-d float64 operands, operation for operation (a test checks every op that has them, bit for bit). The
 * engine uses `forward` for 0-d float32 and float64 operands (one rounding, like the kernel) and `vjp` only
 * for float64 nodes when no gradient graph is recorded.
 */
export interface ScalarRules<A> {
  /** The value for operands a (and b for binary ops; 0 for unary ones). */
  forward(a: number, b: number, attrs: A): number;
  /**
   * The cotangents of the inputs: `io` holds the output's cotangent, the operands a and b (0 for unary ops) and
   * the output value, in that order; the rule writes input 0's cotangent to `io[0]` and, for binary ops, input
   * 1's to `io[1]`. The numbers go through an array because V8 boxes every fractional number it passes to, or
   * returns from, a call it cannot inline: in a scalar graph's reverse pass those boxes were a sixth of all
   * memory allocated.
   */
  vjp(io: Float64Array, attrs: A): void;
}

/**
 * One operation, defined once: shape rule, forward kernel, derivative rules written in ops (so they can be
 * differentiated again), formula, input domain and kinks. `vjp` and `jvp` are required: an op without them
 * does not type-check.
 */
export interface OpDef<A = unknown> {
  readonly name: string;
  /** Number of tensor operands, or 'variadic' (concat). */
  readonly arity: number | 'variadic';
  /** Operand kinds, one per input (the last repeats for variadic ops). Default: all 'float'. */
  readonly operands?: readonly OperandKind[];
  /** Output shape; throws a ShapeError naming the op and the shapes. */
  shape(shapes: readonly Shape[], attrs: A): Shape;
  /** Output dtype; default: the dtype of the first float operand. */
  dtype?(dtypes: readonly DType[], attrs: A): DType;
  /**
   * Computes the output values through kernels. `out` has the output's size and dtype and is zero-filled,
   * unless the op declares `writesAll`.
   */
  forward(inputs: readonly Tensor[], attrs: A, out: TypedArray, outShape: Shape): TypedArray;
  /** Reverse-mode rule: cotangents for each input, in ops. null means zero / not needed. */
  vjp(ctx: VjpContext<A>): readonly (Tensor | null)[];
  /** Forward-mode rule: the output tangent, in ops. null means zero. */
  jvp(ctx: JvpContext<A>): Tensor | null;
  readonly formula: FormulaSpec;
  /** Input domains for property tests (one per input; missing = the whole real line). */
  readonly domain?: readonly Domain[];
  /** Non-differentiable points and the subgradient convention used there. */
  readonly kinks?: readonly Kink[];
  /**
   * True when `forward` writes every element of `out`: it then gets an array from the buffer pool without
   * zero-filling it first (it may hold a previous step's values).
   */
  readonly writesAll?: boolean;
  /**
   * True when the op's value is its input's, unchanged (identity, stopGradient): a compiled function's replay
   * then shares the input's array instead of copying it.
   */
  readonly returnsInput?: boolean;
  /** Optional plain-number fast path for 0-d operands (elementwise ops). */
  readonly scalar?: ScalarRules<A>;
  /** Formats attributes for labels and formulas, e.g. "α=0.1". */
  describeAttrs?(attrs: A): string;
}
