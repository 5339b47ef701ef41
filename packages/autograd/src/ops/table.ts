/**
 * The op table: every op chainrule can record, by name. Differentiation, gradient checks, property tests,
 * graph labels and formula printing all iterate this one table.
 */
import * as E from './elementwise.js';
import * as R from './reduce.js';
import * as L from './layout.js';
import { matmulOp } from './linalg.js';
import { softmaxCrossEntropyOp } from './crossEntropy.js';
import type { OpDef } from './types.js';

export const opTable = {
  add: E.addOp,
  sub: E.subOp,
  mul: E.mulOp,
  div: E.divOp,
  pow: E.powOp,
  maximum: E.maximumOp,
  minimum: E.minimumOp,
  greater: E.greaterOp,
  greaterEqual: E.greaterEqualOp,
  less: E.lessOp,
  lessEqual: E.lessEqualOp,
  equal: E.equalOp,
  logicalAnd: E.logicalAndOp,
  neg: E.negOp,
  identity: E.identityOp,
  square: E.squareOp,
  sqrt: E.sqrtOp,
  exp: E.expOp,
  log: E.logOp,
  abs: E.absOp,
  sign: E.signOp,
  sin: E.sinOp,
  cos: E.cosOp,
  tanh: E.tanhOp,
  sigmoid: E.sigmoidOp,
  softplus: E.softplusOp,
  relu: E.reluOp,
  addRelu: E.addReluOp,
  leakyRelu: E.leakyReluOp,
  elu: E.eluOp,
  step: E.stepOp,
  clip: E.clipOp,
  where: E.whereOp,
  cast: E.castOp,
  sum: R.sumOp,
  max: R.maxOp,
  min: R.minOp,
  logSumExp: R.logSumExpOp,
  softmax: R.softmaxOp,
  logSoftmax: R.logSoftmaxOp,
  softmaxCrossEntropy: softmaxCrossEntropyOp,
  matmul: matmulOp,
  reshape: L.reshapeOp,
  permute: L.permuteOp,
  broadcastTo: L.broadcastToOp,
  slice: L.sliceOp,
  pad: L.padOp,
  concat: L.concatOp,
  gather: L.gatherOp,
  scatterAdd: L.scatterAddOp,
} as const satisfies Record<string, OpDef<never>>;

/** The name of an op in the table. */
export type OpName = keyof typeof opTable;

/** Every op definition, in table order. */
export function allOps(): readonly OpDef[] {
  return Object.values(opTable) as readonly OpDef[];
}
