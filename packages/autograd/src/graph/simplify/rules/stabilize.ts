/**
 * Numerical stabilisation: compositions that overflow or lose precision replaced by the fused op that
 * computes the same value safely.
 */
import { logSoftmax, neg, softplus } from '../../../ops/functions.js';
import type { RewriteRule } from '../spec.js';
import { isConstant, isOp } from '../spec.js';

/** log(softmax(x)) → logSoftmax(x) along the same axis. */
export const logOfSoftmax: RewriteRule = {
  name: 'logOfSoftmax',
  description: 'log(softmax(x)) → logSoftmax(x)',
  rewrite: ({ op, inputs: [a] }) => {
    if (op.name !== 'log' || !isOp(a, 'softmax')) return null;
    return logSoftmax(a.inputs[0], (a.attrs as { axis: number }).axis);
  },
};

/** log(σ(x)) → −softplus(−x): finite where σ(x) underflows to 0. */
export const logOfSigmoid: RewriteRule = {
  name: 'logOfSigmoid',
  description: 'log(σ(x)) → −softplus(−x)',
  rewrite: ({ op, inputs: [a] }) =>
    op.name === 'log' && isOp(a, 'sigmoid') ? neg(softplus(neg(a.inputs[0]))) : null,
};

/** log(1 − σ(x)) → −softplus(x): finite where σ(x) rounds to 1. */
export const logOfOneMinusSigmoid: RewriteRule = {
  name: 'logOfOneMinusSigmoid',
  description: 'log(1 − σ(x)) → −softplus(x)',
  rewrite: ({ op, inputs: [a] }) => {
    if (op.name !== 'log' || !isOp(a, 'sub')) return null;
    const [one, s] = a.inputs;
    return isConstant(one, 1) && isOp(s, 'sigmoid') ? neg(softplus(s.inputs[0])) : null;
  },
};

/** log(exp(x)) → x. */
export const logOfExp: RewriteRule = {
  name: 'logOfExp',
  description: 'log(exp(x)) → x',
  rewrite: ({ op, inputs: [a] }) => (op.name === 'log' && isOp(a, 'exp') ? a.inputs[0] : null),
};
