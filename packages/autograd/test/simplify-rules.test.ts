import { describe, expect, it } from 'vitest';
import {
  defaultRules,
  identity,
  log,
  neg,
  ones,
  opTable,
  scalar,
  sigmoid,
  simplifyRules as R,
  softmax,
  toExpr,
  variable,
} from '@chainrule/autograd';
import type { NodeSpec, OpDef, OpName, RewriteRule, Tensor } from '@chainrule/autograd';

const x = variable(0.7, { name: 'x' });
const y = variable(-1.3, { name: 'y' });
const z = variable([0.5, -2, 3], { name: 'z' });

/** A node spec as the driver would hand it to a rule. */
const spec = (name: OpName, inputs: Tensor[], attrs?: unknown): NodeSpec => ({
  op: opTable[name] as OpDef,
  inputs,
  attrs,
});
const c = (v: number) => scalar(v);
const run = (rule: RewriteRule, node: NodeSpec) => rule.rewrite(node);
const printed = (rule: RewriteRule, node: NodeSpec) => {
  const out = run(rule, node);
  return out ? toExpr(out) : null;
};

describe('constant folding', () => {
  it('foldConstants evaluates an op whose inputs are all constants', () => {
    const out = run(R.foldConstants, spec('add', [c(2), c(3)]));
    expect(out?.kind).toBe('constant');
    expect(out?.item()).toBe(5);
    expect(run(R.foldConstants, spec('add', [x, c(3)]))).toBeNull();
  });

  it('foldScalarFactors multiplies the constant factors of a product into one', () => {
    expect(printed(R.foldScalarFactors, spec('mul', [c(2), x.mul(3)]))).toBe('6·x');
    // 6·(x·y): the coefficient leads, the other factors keep their order (· re-associates when printed).
    const product = run(R.foldScalarFactors, spec('mul', [x.mul(2), y.mul(3)]));
    expect(product?.inputs[0].item()).toBe(6);
    expect(product?.inputs[1].inputs).toEqual([x, y]);
    expect(run(R.foldScalarFactors, spec('mul', [c(2), x.mul(0.5)]))).toBe(x);
    expect(printed(R.foldScalarFactors, spec('mul', [c(-2), x.mul(0.5)]))).toBe('−x');
    expect(run(R.foldScalarFactors, spec('mul', [c(2), x.mul(y)]))).toBeNull();
  });
});

describe('identities', () => {
  it('addZero: x + 0 → x and 0 + x → x, nothing else', () => {
    expect(run(R.addZero, spec('add', [x, c(0)]))).toBe(x);
    expect(run(R.addZero, spec('add', [c(0), x]))).toBe(x);
    expect(run(R.addZero, spec('add', [x, c(1)]))).toBeNull();
    expect(run(R.addZero, spec('sub', [x, c(0)]))).toBeNull();
  });

  it('subZero: x − 0 → x and 0 − x → −x', () => {
    expect(run(R.subZero, spec('sub', [x, c(0)]))).toBe(x);
    expect(printed(R.subZero, spec('sub', [c(0), x]))).toBe('−x');
  });

  it('mulOne: x·1 → x, 1·x → x, x·(−1) → −x, also for a broadcast constant of ones', () => {
    expect(run(R.mulOne, spec('mul', [x, c(1)]))).toBe(x);
    expect(run(R.mulOne, spec('mul', [c(1), x]))).toBe(x);
    expect(run(R.mulOne, spec('mul', [x, ones([3])]))).toBe(x);
    expect(printed(R.mulOne, spec('mul', [x, c(-1)]))).toBe('−x');
    expect(run(R.mulOne, spec('mul', [x, c(2)]))).toBeNull();
  });

  it("mulZero: x·0 → 0 of the node's dtype", () => {
    const x32 = variable(1.5, { dtype: 'float32' });
    const out = run(R.mulZero, spec('mul', [x32, scalar(0, { dtype: 'float32' })]));
    expect(out?.kind).toBe('constant');
    expect(out?.dtype).toBe('float32');
    expect(out?.item()).toBe(0);
    expect(run(R.mulZero, spec('mul', [x, c(1)]))).toBeNull();
  });

  it('subSelf: x − x → 0 when both sides are the same node', () => {
    const s = x.sin();
    expect(run(R.subSelf, spec('sub', [s, s]))?.item()).toBe(0);
    // Two separately built sin(x) are different nodes; the driver's hash-consing is what makes them one.
    expect(run(R.subSelf, spec('sub', [x.sin(), x.sin()]))).toBeNull();
  });

  it('divOne: x / 1 → x, but not 1 / x', () => {
    expect(run(R.divOne, spec('div', [x, c(1)]))).toBe(x);
    expect(run(R.divOne, spec('div', [c(1), x]))).toBeNull();
  });

  it('negNeg: −(−x) → x', () => {
    expect(run(R.negNeg, spec('neg', [neg(x)]))).toBe(x);
    expect(run(R.negNeg, spec('neg', [x]))).toBeNull();
  });

  it('dropIdentity: id(x) → x', () => {
    expect(run(R.dropIdentity, spec('identity', [x]))).toBe(x);
    expect(toExpr(identity(x))).toBe('id(x)');
  });
});

describe('signs', () => {
  it('addNegToSub: a + (−b) → a − b and (−a) + b → b − a', () => {
    expect(printed(R.addNegToSub, spec('add', [x, neg(y)]))).toBe('x − y');
    expect(printed(R.addNegToSub, spec('add', [neg(x), y]))).toBe('y − x');
    expect(run(R.addNegToSub, spec('add', [x, y]))).toBeNull();
  });

  it('subNegToAdd: a − (−b) → a + b', () => {
    expect(printed(R.subNegToAdd, spec('sub', [x, neg(y)]))).toBe('x + y');
  });

  it('pullNegOutOfMul: (−a)·b → −(a·b)', () => {
    expect(printed(R.pullNegOutOfMul, spec('mul', [neg(x), y]))).toBe('−(x·y)');
    expect(printed(R.pullNegOutOfMul, spec('mul', [x, neg(y)]))).toBe('−(x·y)');
  });
});

describe('collectTerms', () => {
  it('merges repeated terms: cos(x) + x + x → cos(x) + 2·x', () => {
    const cx = x.cos();
    expect(printed(R.collectTerms, spec('add', [cx.add(x), x]))).toBe('cos(x) + 2·x');
  });

  it('adds constants and puts them after the positive terms, negatives last', () => {
    expect(printed(R.collectTerms, spec('add', [x.add(1), c(2)]))).toBe('x + 3');
    expect(printed(R.collectTerms, spec('add', [neg(x.sin()), c(1).add(x.mul(0)).add(1)]))).toBe(
      '2 − sin(x)',
    );
    expect(printed(R.collectTerms, spec('sub', [neg(x), y.add(y)]))).toBe('−x − 2·y');
  });

  it('cancels: x + y − x → y, and (x + 2) − x → 2', () => {
    expect(run(R.collectTerms, spec('sub', [x.add(y), x]))).toBe(y);
    expect(run(R.collectTerms, spec('sub', [x.add(2), x]))?.item()).toBe(2);
  });

  it('reads constant coefficients on either side: 3·x − x·2 → x', () => {
    expect(run(R.collectTerms, spec('sub', [x.mul(3), scalar(2).mul(x)]))).toBe(x);
  });

  it('leaves a sum with nothing to merge alone, so repeated passes terminate', () => {
    expect(run(R.collectTerms, spec('add', [x, y]))).toBeNull();
    expect(run(R.collectTerms, spec('add', [x.add(1), y]))).toBeNull();
  });
});

describe('stabilisation', () => {
  it('logOfSoftmax: log(softmax(z)) → logSoftmax(z) along the same axis', () => {
    const out = run(R.logOfSoftmax, spec('log', [softmax(z)]));
    expect(out?.op?.name).toBe('logSoftmax');
    expect(out?.attrs).toEqual({ axis: 0 });
    expect(out?.inputs[0]).toBe(z);
  });

  it('logOfSigmoid: log(σ(x)) → −softplus(−x), finite where σ underflows', () => {
    expect(printed(R.logOfSigmoid, spec('log', [sigmoid(x)]))).toBe('−softplus(−x)');
    const far = variable(-800);
    expect(log(sigmoid(far)).item()).toBe(-Infinity);
    expect(run(R.logOfSigmoid, spec('log', [sigmoid(far)]))?.item()).toBe(-800);
  });

  it('logOfOneMinusSigmoid: log(1 − σ(x)) → −softplus(x)', () => {
    expect(printed(R.logOfOneMinusSigmoid, spec('log', [scalar(1).sub(sigmoid(x))]))).toBe('−softplus(x)');
    expect(run(R.logOfOneMinusSigmoid, spec('log', [scalar(2).sub(sigmoid(x))]))).toBeNull();
  });

  it('logOfExp: log(exp(x)) → x', () => {
    expect(run(R.logOfExp, spec('log', [x.exp()]))).toBe(x);
  });
});

describe('defaultRules', () => {
  it('lists every rule once, each with a name and a description', () => {
    const names = defaultRules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['foldConstants', 'mulOne', 'collectTerms', 'logOfSoftmax']),
    );
    for (const rule of defaultRules) expect(rule.description.length).toBeGreaterThan(5);
  });
});
