/**
 * Typed errors. Every message names the operation (or file), the shapes or values involved, and a hint.
 */

/** Base class of every error chainrule throws on purpose. */
export class ChainruleError extends Error {
  override readonly name: string = 'ChainruleError';
  /** The operation, layer or file the error is about. */
  readonly where: string;
  /** A suggestion for fixing the problem. */
  readonly hint: string | undefined;

  constructor(where: string, problem: string, hint?: string) {
    super(`${where}: ${problem}${hint ? `\n  hint: ${hint}` : ''}`);
    this.where = where;
    this.hint = hint;
  }
}

/** Shapes that do not fit the operation (broadcasting, matmul inner dimensions, axes, ...). */
export class ShapeError extends ChainruleError {
  override readonly name = 'ShapeError';
}

/** Dtypes that do not fit: mixed float32/float64 without a cast, ints where floats are needed. */
export class DTypeError extends ChainruleError {
  override readonly name = 'DTypeError';
}

/** Misuse of the graph: differentiating a non-scalar without a seed, an input the output does not use, ... */
export class GraphError extends ChainruleError {
  override readonly name = 'GraphError';
}

/** Data that cannot be read or does not have the promised content. */
export class DataError extends ChainruleError {
  override readonly name = 'DataError';
}

/** A saved file (model, checkpoint, rendering) that is truncated, corrupted or of the wrong kind. */
export class FormatError extends ChainruleError {
  override readonly name = 'FormatError';
}
