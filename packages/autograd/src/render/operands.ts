/**
 * Names of an op's operands, shown on the edges into a multi-input node so `a − b` and `b − a` differ.
 */
import type { OpDef } from '../ops/types.js';

const NAMED: Readonly<Record<string, readonly string[]>> = {
  where: ['cond', 'then', 'else'],
  gather: ['source', 'indices'],
  scatterAdd: ['source', 'indices'],
};

/** The label of operand `i` of `op`, or undefined for single-input ops (nothing to tell apart). */
export function operandLabel(op: OpDef, i: number, count: number): string | undefined {
  if (count < 2) return undefined;
  const named = NAMED[op.name];
  if (named) return named[i];
  if (op.formula.kind === 'infix' && count === 2) return i === 0 ? 'lhs' : 'rhs';
  return `arg${i}`;
}
