import { describe, expect, it } from 'vitest';
import { Map as ImmutableMap } from 'immutable';
import {
  GraphError,
  apply,
  opTable,
  concat,
  grad,
  gradients,
  noGrad,
  scalar,
  tensor,
  topologicalOrder,
  valueAndGrad,
  variable,
  where,
  Tensor,
} from '@chainrule/autograd';
import type { OpDef, Tree } from '@chainrule/autograd';

describe('recording', () => {
  it('folds constants: ops on constants record no node', () => {
    const c = scalar(2).mul(3).tanh();
    expect(c.kind).toBe('constant');
    expect(c.inputs).toEqual([]);
  });

  it('tells variables, named constants and op nodes apart', () => {
    const x = variable(2);
    const named = scalar(3, { name: 'c' });
    expect([x.kind, x.tracked]).toEqual(['variable', true]);
    expect([variable(2, { name: 'w' }).kind, named.kind, named.tracked]).toEqual([
      'variable',
      'constant',
      false,
    ]);
    expect([x.mul(named).kind, x.mul(named).tracked]).toEqual(['op', true]);
    // Only a recorded op has an op: the constructor refuses a kind that contradicts it.
    expect(() => new Tensor([], 'float64', 1, 'op', null, undefined)).toThrow(GraphError);
  });

  it('records a node for every op that depends on a variable', () => {
    const x = variable(2, { name: 'x' });
    const y = scalar(2).mul(x).tanh();
    expect(y.kind).toBe('op');
    expect(y.op?.name).toBe('tanh');
    expect(y.inputs[0].op?.name).toBe('mul');
    expect(topologicalOrder([y]).map((t) => t.op?.name ?? t.name)).toEqual(['x', 'mul', 'tanh']);
  });

  it("lists every node's inputs in the op's order, whether the node holds them itself (one or two) or in a list", () => {
    const [a, b, c, d] = [1, 2, 3, 4].map((v, i) => variable(v, { name: 'abcd'[i] }));
    expect(a.inputs).toEqual([]);
    expect(a.neg().inputs).toEqual([a]);
    expect(a.sub(b).inputs).toEqual([a, b]);
    expect(b.sub(a).inputs).toEqual([b, a]);
    const chosen = where(tensor([1]).greater(0), c, d); // three inputs: the mask, then the two branches
    expect(chosen.inputs).toHaveLength(3);
    expect(chosen.inputs.slice(1)).toEqual([c, d]);
    const joined = concat([a.reshape([1]), b.reshape([1]), c.reshape([1]), d.reshape([1])]);
    expect(joined.inputs.map((t) => t.inputs[0])).toEqual([a, b, c, d]);
    // Traversal and differentiation see all of them.
    const y = joined
      .mul(tensor([1, 10, 100, 1000]))
      .sum()
      .add(chosen.sum());
    expect(topologicalOrder([y]).filter((t) => t.kind === 'variable')).toEqual([a, b, c, d]);
    expect(gradients(y, [a, b, c, d]).map((g) => g.item())).toEqual([1, 10, 101, 1000]);
  });

  it('apply refuses the wrong number of operands with a GraphError naming the op', () => {
    const add = opTable.add as OpDef<undefined>;
    expect(() => apply(add, [scalar(1)], undefined)).toThrow(GraphError);
    expect(() => apply(add, [], undefined)).toThrow(/add: takes 2 operands, got 0/);
    expect(() => apply(add, [scalar(1), scalar(2), scalar(3)], undefined)).toThrow(/takes 2 operands, got 3/);
    expect(apply(add, [scalar(1), 2], undefined).item()).toBe(3);
    // A variadic op needs at least one operand (before, its shape rule failed with a TypeError).
    const concatOp = opTable.concat as OpDef<{ axis: number }>;
    expect(() => apply(concatOp, [], { axis: 0 })).toThrow(/concat: takes one or more operands, got 0/);
    expect(apply(concatOp, [tensor([1]), tensor([2, 3])], { axis: 0 }).toArray()).toEqual([1, 2, 3]);
  });

  it('noGrad and stopGradient cut the graph', () => {
    const x = variable(3);
    expect(noGrad(() => x.mul(x)).kind).toBe('constant');
    const y = x.mul(x.stopGradient());
    expect(gradients(y, [x])[0].item()).toBe(3);
  });

  it('gradients without createGraph are constants; with it they are graphs over the same variables', () => {
    const x = variable(0.5);
    const y = x.mul(x).add(x.sin());
    const [plain] = gradients(y, [x]);
    expect(plain.kind).toBe('constant');
    const [g] = gradients(y, [x], { createGraph: true });
    expect(g.kind).toBe('op');
    expect(topologicalOrder([g])).toContain(x);
    expect(g.item()).toBeCloseTo(2 * 0.5 + Math.cos(0.5), 15);
  });
});

describe('gradients', () => {
  it('sums gradients of broadcast operands back to their shape', () => {
    const w = variable([[1, 2, 3]]);
    const b = variable(0.5);
    const x = tensor([[1], [2]]);
    const [gw, gb] = gradients(x.mul(w).add(b).sum(), [w, b]);
    expect(gw.shape).toEqual([1, 3]);
    expect(gw.toArray()).toEqual([[3, 3, 3]]);
    expect(gb.shape).toEqual([]);
    expect(gb.item()).toBe(6);
  });

  it('accumulates over shared subexpressions (diamond)', () => {
    const x = variable(1.5);
    const s = x.sin();
    const y = s.mul(s).add(s);
    // d/dx (sin² x + sin x) = 2 sin x cos x + cos x.
    expect(gradients(y, [x])[0].item()).toBeCloseTo(2 * Math.sin(1.5) * Math.cos(1.5) + Math.cos(1.5), 15);
  });

  it('handles a chain of 100,000 nodes without overflowing the stack', () => {
    const x = variable(1);
    let y: Tensor = x;
    for (let i = 0; i < 100_000; i++) y = y.mul(1.00001);
    const [g] = gradients(y, [x]);
    expect(g.item()).toBeCloseTo(1.00001 ** 100_000, 8);
  });

  it('returns the same answer when called twice (nothing accumulates in place)', () => {
    const x = variable([1, 2, 3]);
    const y = x.square().sum();
    const first = gradients(y, [x])[0].toArray();
    const second = gradients(y, [x])[0].toArray();
    expect(first).toEqual([2, 4, 6]);
    expect(second).toEqual(first);
  });

  it('gives zeros for an unused input and needs a seed for non-scalar outputs', () => {
    const x = variable([1, 2]);
    const z = variable([5]);
    expect(gradients(x.sum(), [z])[0].toArray()).toEqual([0]);
    expect(() => gradients(x.mul(2), [x])).toThrow(GraphError);
    expect(gradients(x.mul(2), [x], { seed: tensor([1, 10]) })[0].toArray()).toEqual([2, 20]);
  });

  it('differentiates with respect to intermediate nodes', () => {
    const x = variable(2);
    const h = x.mul(3);
    const y = h.square();
    const [gh, gx] = gradients(y, [h, x]);
    expect(gh.item()).toBe(12);
    expect(gx.item()).toBe(36);
  });
});

describe('function transforms over parameter trees', () => {
  it('grad returns a tree with the same keys', () => {
    const params: Tree = ImmutableMap<string, Tree>({
      weight: tensor([[1, 2]]),
      bias: tensor([0.5]),
    });
    const x = tensor([[3], [4]]);
    const loss = (p: ImmutableMap<string, Tensor>) => x.mul(p.get('weight')!).add(p.get('bias')!).sum();
    const g = grad<ImmutableMap<string, Tensor>>(loss)(params);
    expect([...g.keys()]).toEqual(['weight', 'bias']);
    expect(g.get('weight')!.toArray()).toEqual([[7, 7]]);
    expect(g.get('bias')!.toArray()).toEqual([4]);
  });

  it('valueAndGrad returns the value and gradients for several arguments', () => {
    const f = (a: Tensor, b: Tensor) => a.mul(b).sin();
    const { value, grads } = valueAndGrad<Tensor[]>(f, { argnums: [0, 1] })(2, 3);
    expect(value.item()).toBeCloseTo(Math.sin(6), 15);
    expect(grads[0].item()).toBeCloseTo(3 * Math.cos(6), 15);
    expect(grads[1].item()).toBeCloseTo(2 * Math.cos(6), 15);
  });

  it('nests: grad(grad(x³)) = 6x', () => {
    const d2 = grad((x: Tensor) => grad((y: Tensor) => y.mul(y).mul(y))(x));
    expect(d2(scalar(2)).item()).toBe(12);
  });

  it('refuses a non-scalar output with a hint', () => {
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(/reduce the output/);
  });
});
