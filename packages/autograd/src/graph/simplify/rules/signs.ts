/**
 * Moving signs outward so sums read as differences: a + (−b) → a − b, a − (−b) → a + b,
 * (−a)·b → −(a·b).
 */
import { add, mul, neg, sub } from '../../../ops/functions.js';
import type { RewriteRule } from '../spec.js';
import { isOp } from '../spec.js';

/** a + (−b) → a − b, (−a) + b → b − a. */
export const addNegToSub: RewriteRule = {
  name: 'addNegToSub',
  description: 'a + (−b) → a − b',
  rewrite: ({ op, inputs: [a, b] }) => {
    if (op.name !== 'add') return null;
    if (isOp(b, 'neg')) return sub(a, b.inputs[0]);
    return isOp(a, 'neg') ? sub(b, a.inputs[0]) : null;
  },
};

/** a − (−b) → a + b. */
export const subNegToAdd: RewriteRule = {
  name: 'subNegToAdd',
  description: 'a − (−b) → a + b',
  rewrite: ({ op, inputs: [a, b] }) => (op.name === 'sub' && isOp(b, 'neg') ? add(a, b.inputs[0]) : null),
};

/** (−a)·b → −(a·b), a·(−b) → −(a·b). */
export const pullNegOutOfMul: RewriteRule = {
  name: 'pullNegOutOfMul',
  description: '(−a)·b → −(a·b)',
  rewrite: ({ op, inputs: [a, b] }) => {
    if (op.name !== 'mul') return null;
    if (isOp(a, 'neg')) return neg(mul(a.inputs[0], b));
    return isOp(b, 'neg') ? neg(mul(a, b.inputs[0])) : null;
  },
};
