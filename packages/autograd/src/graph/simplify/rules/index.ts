/**
 * The default rewrite rules of `simplify`, in the order they are tried on each node.
 */
import type { RewriteRule } from '../spec.js';
import { foldConstants, foldScalarFactors } from './constants.js';
import { addZero, divOne, dropIdentity, mulOne, mulZero, negNeg, subSelf, subZero } from './identities.js';
import { addNegToSub, pullNegOutOfMul, subNegToAdd } from './signs.js';
import { logOfExp, logOfOneMinusSigmoid, logOfSigmoid, logOfSoftmax } from './stabilize.js';
import { collectTerms } from './terms.js';

export * from './constants.js';
export * from './identities.js';
export * from './signs.js';
export * from './stabilize.js';
export * from './terms.js';

/** Every rule `simplify` applies by default. */
export const defaultRules: readonly RewriteRule[] = [
  foldConstants,
  dropIdentity,
  addZero,
  subZero,
  mulZero,
  mulOne,
  divOne,
  subSelf,
  negNeg,
  foldScalarFactors,
  pullNegOutOfMul,
  collectTerms,
  addNegToSub,
  subNegToAdd,
  logOfSoftmax,
  logOfSigmoid,
  logOfOneMinusSigmoid,
  logOfExp,
];
