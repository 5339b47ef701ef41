/**
 * Constant folding: evaluate nodes whose inputs are all constants, and gather the scalar constant factors
 * of a product into one leading coefficient.
 */
import { apply, constantScalar } from '../../../ops/apply.js';
import { mul, neg } from '../../../ops/functions.js';
import type { Tensor } from '../../../tensor/tensor.js';
import type { NodeSpec, RewriteRule } from '../spec.js';
import { isOp, specDtype, uniformValue } from '../spec.js';

/** op(constants...) → its value, a constant. */
export const foldConstants: RewriteRule = {
  name: 'foldConstants',
  description: 'an op whose inputs are all constants becomes the constant it computes',
  rewrite: ({ op, inputs, attrs }) =>
    inputs.length > 0 && inputs.every((t) => t.kind === 'constant') ? apply(op, inputs, attrs) : null,
};

/** How many nested mul nodes one rewrite looks through; deeper ones count as single factors. */
export const MAX_PRODUCT_DEPTH = 32;

/** The factors of a product tree (through nested mul nodes), left to right. */
function factorsOf(inputs: readonly Tensor[]): Tensor[] {
  const factors: Tensor[] = [];
  const stack = [...inputs].reverse();
  let opened = 0;
  while (stack.length) {
    const t = stack.pop() as Tensor;
    if (isOp(t, 'mul') && opened++ < MAX_PRODUCT_DEPTH) stack.push(t.inputs[1], t.inputs[0]);
    else factors.push(t);
  }
  return factors;
}

/** 2·(3·x) → 6·x: multiplies the one-valued constant factors of a product into one leading coefficient. */
export const foldScalarFactors: RewriteRule = {
  name: 'foldScalarFactors',
  description: 'c₁·(c₂·x) → (c₁c₂)·x: constant factors of a product are multiplied into one',
  rewrite: (node: NodeSpec) => {
    if (node.op.name !== 'mul') return null;
    const factors = factorsOf(node.inputs);
    const constants = factors.map(uniformValue).filter((v): v is number => v !== undefined);
    if (constants.length < 2) return null;
    const others = factors.filter((f) => uniformValue(f) === undefined);
    const coefficient = constants.reduce((a, b) => a * b, 1);
    if (others.length === 0) return constantScalar(coefficient, specDtype(node));
    const product = others.reduce((a, b) => mul(a, b));
    if (coefficient === 1) return product;
    if (coefficient === -1) return neg(product);
    return mul(coefficient, product);
  },
};
