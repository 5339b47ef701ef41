/**
 * Batched matrix multiplication with transposed-operand flags, so its own gradients need no transposes.
 */
import type { Shape } from '../tensor/shape.js';
import { broadcastShapes, formatShape } from '../tensor/shape.js';
import { ShapeError } from '../errors.js';
import { matmul as matmulKernel } from '../kernels/matmul.js';
import type { OpDef } from './types.js';
import { add, matmulT } from './functions.js';

/** Whether each operand is used transposed (its last two axes swapped). */
export interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

function split(s: Shape, trans: boolean): { batch: Shape; rows: number; cols: number } {
  const r = s.length;
  return { batch: s.slice(0, r - 2), rows: trans ? s[r - 1] : s[r - 2], cols: trans ? s[r - 2] : s[r - 1] };
}

export const matmulOp: OpDef<MatmulAttrs> = {
  name: 'matmul',
  arity: 2,
  formula: { kind: 'infix', symbol: '@', precedence: 2 },
  writesAll: true,
  describeAttrs: ({ transA, transB }) =>
    transA || transB ? `${transA ? 'Aᵀ' : 'A'}${transB ? 'Bᵀ' : 'B'}` : '',
  shape: ([sa, sb], { transA, transB }) => {
    if (sa.length < 2 || sb.length < 2) {
      throw new ShapeError(
        'matmul',
        `operands ${formatShape(sa)} and ${formatShape(sb)} need at least 2 dimensions`,
        'use matmul() from the API, which promotes vectors, or reshape',
      );
    }
    const a = split(sa, transA);
    const b = split(sb, transB);
    if (a.cols !== b.rows) {
      throw new ShapeError(
        'matmul',
        `inner dimensions differ: ${formatShape(sa)}${transA ? 'ᵀ' : ''} @ ${formatShape(sb)}${transB ? 'ᵀ' : ''} (${a.cols} vs ${b.rows})`,
        'the columns of the left operand must equal the rows of the right one; transpose one of them?',
      );
    }
    return [...broadcastShapes('matmul', [a.batch, b.batch]), a.rows, b.cols];
  },
  forward: ([a, b], { transA, transB }, out, outShape) =>
    matmulKernel(a.data, a.shape, transA, b.data, b.shape, transB, outShape.slice(0, -2), out),
  // C = op(A)·op(B). For each combination of flags both cotangents are again single matmuls.
  vjp: ({ g, inputs: [a, b], attrs: { transA, transB }, needs }) => {
    const ga = !needs[0] ? null : transA ? matmulT(b, g, transB, true) : matmulT(g, b, false, !transB);
    const gb = !needs[1] ? null : transB ? matmulT(g, a, true, transA) : matmulT(a, g, !transA, false);
    return [ga, gb];
  },
  jvp: ({ tangents: [ta, tb], inputs: [a, b], attrs: { transA, transB } }) => {
    const left = ta ? matmulT(ta, b, transA, transB) : null;
    const right = tb ? matmulT(a, tb, transA, transB) : null;
    return left && right ? add(left, right) : (left ?? right);
  },
};
