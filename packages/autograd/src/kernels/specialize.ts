/**
 * Per-use copies of hot loops. V8 keeps type feedback per function literal, shared by every closure made from
 * it: one loop fed Float32Array and Float64Array, or calling the scalar functions of several ops, runs many
 * times slower than a loop that only ever sees one array type and one function (measured here: ~10× for
 * an elementwise add). `specialize` recompiles a self-contained function from its source under a label, so
 * each (op, element type) pair gets its own code and feedback, and V8 inlines the scalar function into it.
 */

/** False once compiling from a string has been refused (a Content Security Policy without 'unsafe-eval'). */
let canCompile = true;

/**
 * A fresh copy of `fn` with its own compiled code. `fn` must be self-contained: it may use its parameters and
 * globals such as Math, but nothing from the module scope (the copy is compiled from `fn`'s source alone).
 * Where the runtime forbids compiling code from strings (a strict Content Security Policy, or Node's
 * `--disallow-code-generation-from-strings`), it returns `fn` itself: the same results, without the speed-up.
 */
export function specialize<F extends (...args: never[]) => unknown>(fn: F, label: string): F {
  if (!canCompile) return fn;
  const tag = label.replace(/[^\w]/g, '_');
  try {
    return new Function(`return (${fn.toString()}); // specialized: ${tag}`)() as F;
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    canCompile = false;
    return fn;
  }
}

/** One specialized copy of a loop per element type, labelled `<label>:<dtype>`. */
export interface PerDtype<F> {
  readonly float32: F;
  readonly float64: F;
  readonly int32: F;
}

/** Specializes `fn` once per element type. */
export function perDtype<F extends (...args: never[]) => unknown>(fn: F, label: string): PerDtype<F> {
  return {
    float32: specialize(fn, `${label}:float32`),
    float64: specialize(fn, `${label}:float64`),
    int32: specialize(fn, `${label}:int32`),
  };
}

/** The copy of `loops` for the element type of `out`. */
export function pick<F>(loops: PerDtype<F>, out: unknown): F {
  return out instanceof Float32Array
    ? loops.float32
    : out instanceof Float64Array
      ? loops.float64
      : loops.int32;
}
