/**
 * Collecting like terms: a sum (through nested +, − and unary −, with constant coefficients) is read as
 * Σ cᵢ·tᵢ + c₀; repeated terms are merged (x + x → 2·x), constants added, and zero terms dropped.
 */
import { constantScalar } from '../../../ops/apply.js';
import { add, mul, neg, sub } from '../../../ops/functions.js';
import type { Tensor } from '../../../tensor/tensor.js';
import type { NodeSpec, RewriteRule } from '../spec.js';
import { isOp, specDtype, uniformValue } from '../spec.js';

/** A sum read as coefficients of distinct terms plus a constant. */
interface LinearForm {
  readonly terms: Map<Tensor, number>;
  /** Terms that occurred more than once. */
  readonly merged: Set<Tensor>;
  constant: number;
  /** Whether merging found anything to do: a repeated term, two constants, or a zero. */
  reducible: boolean;
}

/** c·t or t·c with a one-valued constant c: the coefficient and the term; otherwise coefficient 1. */
function scaled(t: Tensor): readonly [number, Tensor] {
  if (isOp(t, 'mul')) {
    const [a, b] = t.inputs;
    const ca = uniformValue(a);
    if (ca !== undefined && uniformValue(b) === undefined) return [ca, b];
    const cb = uniformValue(b);
    if (cb !== undefined && uniformValue(a) === undefined) return [cb, a];
  }
  return [1, t];
}

/**
 * How many nested +, − and unary − nodes one rewrite looks through. Beyond it subtrees count as opaque terms,
 * so a chain of n additions costs O(n) per pass instead of O(n²); repeated terms near the top of the chain,
 * where bottom-up rewriting leaves them, still merge.
 */
export const MAX_SUM_DEPTH = 32;

/** Reads the operands of a + or − node as a linear form. */
export function linearForm(node: NodeSpec): LinearForm {
  const form: LinearForm = { terms: new Map(), merged: new Set(), constant: 0, reducible: false };
  let constants = 0;
  let opened = 0;
  const stack: [Tensor, number][] = [
    [node.inputs[1], node.op.name === 'sub' ? -1 : 1],
    [node.inputs[0], 1],
  ];
  while (stack.length) {
    const [t, sign] = stack.pop() as [Tensor, number];
    const value = uniformValue(t);
    const open = opened < MAX_SUM_DEPTH;
    if (open && (isOp(t, 'add') || isOp(t, 'sub') || isOp(t, 'neg'))) opened++;
    if (value !== undefined) {
      form.constant += sign * value;
      constants++;
    } else if (open && (isOp(t, 'add') || isOp(t, 'sub'))) {
      stack.push([t.inputs[1], isOp(t, 'sub') ? -sign : sign], [t.inputs[0], sign]);
    } else if (open && isOp(t, 'neg')) {
      stack.push([t.inputs[0], -sign]);
    } else {
      const [c, term] = scaled(t);
      const before = form.terms.get(term);
      if (before !== undefined) {
        form.reducible = true;
        form.merged.add(term);
      }
      form.terms.set(term, (before ?? 0) + sign * c);
    }
  }
  if (constants > 1 || (constants === 1 && form.constant === 0)) form.reducible = true;
  for (const c of form.terms.values()) if (c === 0) form.reducible = true;
  return form;
}

function scaledTerm(coefficient: number, term: Tensor): Tensor {
  return coefficient === 1 ? term : mul(coefficient, term);
}

/**
 * x + x → 2·x, (x + 1) + 2 → x + 3, x + y − x → y. Rebuilt as the positive terms, then the constant, then
 * the negative terms subtracted: cos(x) + 2·x, 2 − sin(x). Terms keep their order of first appearance, except
 * that merged ones go last: bottom-up rewriting of a long sum then finds them again at the top.
 */
export const collectTerms: RewriteRule = {
  name: 'collectTerms',
  description: 'x + x → 2·x, constants added, zero terms dropped',
  rewrite: (node) => {
    if (node.op.name !== 'add' && node.op.name !== 'sub') return null;
    const form = linearForm(node);
    if (!form.reducible) return null;
    const ordered = [...form.terms]
      .filter(([, c]) => c !== 0)
      .sort(([a], [b]) => Number(form.merged.has(a)) - Number(form.merged.has(b)));
    const positive = ordered.filter(([, c]) => c > 0).map(([t, c]) => scaledTerm(c, t));
    const negative = ordered.filter(([, c]) => c < 0).map(([t, c]) => scaledTerm(-c, t));
    const dtype = specDtype(node);
    if (form.constant > 0) positive.push(constantScalar(form.constant, dtype));
    if (form.constant < 0) negative.push(constantScalar(-form.constant, dtype));
    let sum: Tensor | undefined = positive.length ? positive.reduce((a, b) => add(a, b)) : undefined;
    for (const n of negative) sum = sum ? sub(sum, n) : neg(n);
    return sum ?? constantScalar(0, dtype);
  },
};
