/**
 * Algebraic identities, one rule each: x+0, x−0, x·1, x·0, x−x, x/1, −(−x), id(x). The driver broadcasts
 * a result back to the node's shape, so `x·ones([3])` may become x even when x is a scalar.
 */
import { constantScalar } from '../../../ops/apply.js';
import { neg } from '../../../ops/functions.js';
import type { RewriteRule } from '../spec.js';
import { isConstant, isOp, specDtype } from '../spec.js';

/** x + 0 → x, 0 + x → x. */
export const addZero: RewriteRule = {
  name: 'addZero',
  description: 'x + 0 → x',
  rewrite: ({ op, inputs: [a, b] }) => {
    if (op.name !== 'add') return null;
    if (isConstant(b, 0)) return a;
    return isConstant(a, 0) ? b : null;
  },
};

/** x − 0 → x, 0 − x → −x. */
export const subZero: RewriteRule = {
  name: 'subZero',
  description: 'x − 0 → x, 0 − x → −x',
  rewrite: ({ op, inputs: [a, b] }) => {
    if (op.name !== 'sub') return null;
    if (isConstant(b, 0)) return a;
    return isConstant(a, 0) ? neg(b) : null;
  },
};

/** x·1 → x, 1·x → x, x·(−1) → −x. */
export const mulOne: RewriteRule = {
  name: 'mulOne',
  description: 'x·1 → x, x·(−1) → −x',
  rewrite: ({ op, inputs: [a, b] }) => {
    if (op.name !== 'mul') return null;
    if (isConstant(b, 1)) return a;
    if (isConstant(a, 1)) return b;
    if (isConstant(b, -1)) return neg(a);
    return isConstant(a, -1) ? neg(b) : null;
  },
};

/** x·0 → 0 (for finite x: ∞·0 is NaN, which the rewrite does not keep). */
export const mulZero: RewriteRule = {
  name: 'mulZero',
  description: 'x·0 → 0 (valid for finite x)',
  rewrite: (node) => {
    const [a, b] = node.inputs;
    if (node.op.name !== 'mul' || !(isConstant(a, 0) || isConstant(b, 0))) return null;
    return constantScalar(0, specDtype(node));
  },
};

/** x − x → 0 (the same shared node on both sides; finite x). */
export const subSelf: RewriteRule = {
  name: 'subSelf',
  description: 'x − x → 0 (valid for finite x)',
  rewrite: (node) => {
    const [a, b] = node.inputs;
    return node.op.name === 'sub' && a === b ? constantScalar(0, specDtype(node)) : null;
  },
};

/** x / 1 → x. */
export const divOne: RewriteRule = {
  name: 'divOne',
  description: 'x / 1 → x',
  rewrite: ({ op, inputs: [a, b] }) => (op.name === 'div' && isConstant(b, 1) ? a : null),
};

/** −(−x) → x. */
export const negNeg: RewriteRule = {
  name: 'negNeg',
  description: '−(−x) → x',
  rewrite: ({ op, inputs: [a] }) => (op.name === 'neg' && isOp(a, 'neg') ? a.inputs[0] : null),
};

/** id(x) → x: identity nodes only mark points for nested differentiation. */
export const dropIdentity: RewriteRule = {
  name: 'dropIdentity',
  description: 'id(x) → x',
  rewrite: ({ op, inputs: [a] }) => (op.name === 'identity' ? a : null),
};
