import { describe, expect, it } from 'vitest';
import {
  GraphError,
  gradients,
  leakyRelu,
  matmulT,
  maximum,
  ones,
  scalar,
  sum,
  tensor,
  toExpr,
  variable,
  where,
} from '@chainrule/autograd';

const a = variable(2, { name: 'a' });
const b = variable(3, { name: 'b' });
const c = variable(5, { name: 'c' });

describe('toExpr: operators and parentheses', () => {
  it('prints the forward graph of x·x + sin(x) with named leaves', () => {
    const x = variable(0.5, { name: 'x' });
    expect(toExpr(x.mul(x).add(x.sin()))).toBe('x·x + sin(x)');
  });

  it('prints the raw gradient graph, seed constants included', () => {
    // d/dx (x·x + sin x): the vjp rules multiply the seed 1 into each path; the two x·x operands are two terms.
    const x = variable(0.5, { name: 'x' });
    const [g] = gradients(x.mul(x).add(x.sin()), [x], { createGraph: true });
    expect(toExpr(g)).toBe('1·cos(x) + 1·x + 1·x');
  });

  it('keeps the parentheses that left-associativity needs and drops the others', () => {
    expect(toExpr(a.sub(b.sub(c)))).toBe('a − (b − c)');
    expect(toExpr(a.sub(b).sub(c))).toBe('a − b − c');
    expect(toExpr(a.add(b.sub(c)))).toBe('a + b − c');
    expect(toExpr(a.add(b).add(c))).toBe('a + b + c');
    expect(toExpr(a.sub(b.add(c)))).toBe('a − (b + c)');
    expect(toExpr(a.div(b.mul(c)))).toBe('a/(b·c)');
    expect(toExpr(a.div(b).div(c))).toBe('a/b/c');
    expect(toExpr(a.mul(b.div(c)))).toBe('a·b/c');
    expect(toExpr(a.mul(b.add(c)))).toBe('a·(b + c)');
    expect(toExpr(a.add(b.mul(c)))).toBe('a + b·c');
    expect(toExpr(a.add(b).mul(c))).toBe('(a + b)·c');
  });

  it('treats ^ as right-associative and binds it tighter than unary minus', () => {
    expect(toExpr(a.pow(b).pow(c))).toBe('(a^b)^c');
    expect(toExpr(a.pow(b.pow(c)))).toBe('a^b^c');
    expect(toExpr(a.neg().pow(2))).toBe('(−a)^2');
    expect(toExpr(a.pow(2).neg())).toBe('−a^2');
  });

  it('parenthesises signed operands after an operator and under a prefix minus', () => {
    expect(toExpr(a.mul(-2))).toBe('a·(−2)');
    expect(toExpr(scalar(-2).mul(a))).toBe('−2·a');
    expect(toExpr(a.add(b.neg()))).toBe('a + (−b)');
    expect(toExpr(a.neg().neg())).toBe('−(−a)');
    expect(toExpr(a.add(b).neg())).toBe('−(a + b)');
    expect(toExpr(a.neg().square())).toBe('(−a)²');
    expect(toExpr(a.add(b).square())).toBe('(a + b)²');
    expect(toExpr(a.square().neg())).toBe('−a²');
  });

  it('prints calls with their attributes and comparisons loosest', () => {
    expect(toExpr(leakyRelu(a, 0.1))).toBe('leakyRelu(a, α=0.1)');
    expect(toExpr(maximum(a, b.tanh()))).toBe('max(a, tanh(b))');
    expect(toExpr(where(a.greater(b), a, b.sigmoid()))).toBe('where(a > b, a, σ(b))');
    const v = variable([1, 2, 3], { name: 'v' });
    expect(toExpr(sum(v.exp(), 0))).toBe('Σ(exp(v), axes=[0])');
  });

  it('marks transposed matmul operands', () => {
    const m = variable([[1, 2]], { name: 'M' });
    const n = variable([[3, 4]], { name: 'N' });
    expect(toExpr(matmulT(m, n, false, true))).toBe('M@Nᵀ');
    expect(toExpr(matmulT(m.add(1), n, true, false))).toBe('(M + 1)ᵀ@N');
  });
});

describe('toExpr: leaves', () => {
  it('numbers unnamed variables and non-uniform constants, prints uniform constants as numbers', () => {
    const u = variable([1, 2]);
    const w = variable([3, 4]);
    const data = tensor([0.5, 0.25]);
    expect(
      toExpr(
        u
          .mul(data)
          .add(w)
          .add(ones([2]).mul(2.5)),
      ),
    ).toBe('v0·c0 + v1 + 2.5');
  });

  it('prints named constants by name and rounds numbers to the requested digits', () => {
    const x = variable(1, { name: 'x' });
    const lr = scalar(0.123456789, { name: 'lr' });
    expect(toExpr(x.mul(lr).add(1 / 3))).toBe('x·lr + 0.333333');
    expect(toExpr(x.add(1 / 3), { digits: 2 })).toBe('x + 0.33');
  });

  it('refuses a formula that grows past maxLength, pointing to simplify and toDot', () => {
    let y = variable(1, { name: 'x' });
    for (let i = 0; i < 20; i++) y = y.add(y); // a DAG of 20 nodes whose formula has 2^20 leaves
    expect(() => toExpr(y)).toThrow(GraphError);
    expect(() => toExpr(y)).toThrow(/simplify/);
  });
});
