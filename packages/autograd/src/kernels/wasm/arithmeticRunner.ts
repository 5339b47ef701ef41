/**
 * Elementwise SIMD arithmetic on typed arrays (broadcast as at most two strided loops) and unary arithmetic.
 */
import type { BinaryArithmetic, ElementIsa, UnaryArithmetic } from './instructions.js';
import { f32Isa, f64Isa } from './instructions.js';
import type { Compiled } from './runtime.js';
import { compiled, copyIn, copyOut, layout } from './runtime.js';

/**
 * out[o + r·cols + j] = a[ia + r·sa0 + j·sa1] ∘ b[ib + r·sb0 + j·sb1] for r < rows, j < cols, where the
 * inner strides sa1 and sb1 are 0 or 1 and not both 0 (the two inner loops of a planned broadcast).
 */
export type ArithmeticRunner<T> = (
  op: BinaryArithmetic,
  a: T,
  ia: number,
  sa0: number,
  sa1: number,
  b: T,
  ib: number,
  sb0: number,
  sb1: number,
  out: T,
  o: number,
  rows: number,
  cols: number,
) => void;

function makeArithmetic<T extends Float32Array | Float64Array>(
  c: Compiled,
  isa: ElementIsa,
  suffix: string,
): ArithmeticRunner<T> {
  const { exports } = c;
  const size = isa.bytes;
  return (op, a, ia, sa0, sa1, b, ib, sb0, sb1, out, o, rows, cols) => {
    const kernel = exports[`${op}_${sa1 ? (sb1 ? 'vv' : 'vs') : 'sv'}_${suffix}`];
    const target = out.subarray(o, o + rows * cols);
    const {
      ptrs: [aPtr, bPtr, outPtr],
    } = layout(c, [a, b, target], 0);
    copyIn(c, a, aPtr);
    copyIn(c, b, bPtr);
    for (let r = 0; r < rows; r++) {
      kernel(aPtr + (ia + r * sa0) * size, bPtr + (ib + r * sb0) * size, outPtr + r * cols * size, cols);
    }
    copyOut(c, outPtr, target);
  };
}

/** out = op(x) elementwise over the whole arrays. */
export type UnaryArithmeticRunner<T> = (op: UnaryArithmetic, x: T, out: T) => void;

function makeUnaryArithmetic<T extends Float32Array | Float64Array>(
  c: Compiled,
  isa: ElementIsa,
  suffix: string,
): UnaryArithmeticRunner<T> {
  const { exports } = c;
  return (op, x, out) => {
    const {
      ptrs: [xPtr, outPtr],
    } = layout(c, [x, out], 0);
    copyIn(c, x, xPtr);
    exports[`${op}_${suffix}`](xPtr, outPtr, x.length);
    copyOut(c, outPtr, out);
  };
}

/** out = x summed over the middle axis of its [outer, reduced, inner] block (see `sumRows.ts`). */
export type SumRowsRunner<T> = (x: T, out: T, outer: number, reduced: number, inner: number) => void;

function makeSumRows<T extends Float32Array | Float64Array>(c: Compiled, suffix: string): SumRowsRunner<T> {
  const kernel = c.exports[`sum_rows_${suffix}`];
  return (x, out, outer, reduced, inner) => {
    const {
      ptrs: [xPtr, outPtr],
    } = layout(c, [x, out], 0);
    copyIn(c, x, xPtr);
    kernel(xPtr, outPtr, outer, reduced, inner);
    copyOut(c, outPtr, out);
  };
}

/** The SIMD elementwise arithmetic and row sums per element type. */
export interface WasmArithmetic {
  readonly float32: ArithmeticRunner<Float32Array>;
  readonly float64: ArithmeticRunner<Float64Array>;
  readonly unaryFloat32: UnaryArithmeticRunner<Float32Array>;
  readonly unaryFloat64: UnaryArithmeticRunner<Float64Array>;
  readonly sumRowsFloat32: SumRowsRunner<Float32Array>;
  readonly sumRowsFloat64: SumRowsRunner<Float64Array>;
}

let arithmetic: WasmArithmetic | null | undefined;

/** The arithmetic kernels, compiled on first use; null when WebAssembly SIMD is unavailable. */
export function wasmArithmetic(): WasmArithmetic | null {
  if (arithmetic !== undefined) return arithmetic;
  const c = compiled();
  arithmetic = c && {
    float32: makeArithmetic<Float32Array>(c, f32Isa, 'f32'),
    float64: makeArithmetic<Float64Array>(c, f64Isa, 'f64'),
    unaryFloat32: makeUnaryArithmetic<Float32Array>(c, f32Isa, 'f32'),
    unaryFloat64: makeUnaryArithmetic<Float64Array>(c, f64Isa, 'f64'),
    sumRowsFloat32: makeSumRows<Float32Array>(c, 'f32'),
    sumRowsFloat64: makeSumRows<Float64Array>(c, 'f64'),
  };
  return arithmetic;
}
