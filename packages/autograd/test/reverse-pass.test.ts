import { describe, expect, it, vi } from 'vitest';
import {
  GraphError,
  add,
  apply,
  gradients,
  mul,
  relu,
  scalar,
  sum,
  tanh,
  topologicalOrder,
  variable,
} from '@chainrule/autograd';
import type { NestedArray, OpDef, Tensor, VjpContext } from '@chainrule/autograd';
import { IdWindow } from '../src/graph/idWindow.js';

/**
 * An identity op whose vjp reports each call (the cotangent it got and which input needs a gradient) and may
 * run a side effect: it shows what the reverse pass asks of an op. It has no plain-number rules, so the pass
 * treats it like any tensor op.
 */
function probe(onVjp?: (ctx: VjpContext<undefined>) => void) {
  const calls: { g: NestedArray; needs: boolean[] }[] = [];
  const op: OpDef<undefined> = {
    name: 'probe',
    arity: 1,
    formula: { kind: 'call', name: 'probe' },
    shape: ([shape]) => shape,
    forward: ([x], _attrs, out) => {
      out.set(x.data);
      return out;
    },
    vjp: (ctx) => {
      calls.push({ g: ctx.g.toArray(), needs: [...ctx.needs] });
      onVjp?.(ctx);
      return [ctx.g];
    },
    jvp: ({ tangents }) => tangents[0],
  };
  return { calls, apply: (x: Tensor) => apply(op, [x], undefined) };
}

describe('the reverse pass', () => {
  it('hands each op its complete cotangent once, after every consumer of its output', () => {
    const p = probe();
    const x = variable([1, 2]);
    const h = p.apply(x);
    const y = sum(add(mul(h, 3), mul(h, 5)));
    expect(gradients(y, [x])[0].toArray()).toEqual([8, 8]);
    expect(p.calls).toEqual([{ g: [8, 8], needs: [true] }]);
  });

  it('runs no vjp for a branch that leads to no target', () => {
    const p1 = probe();
    const p2 = probe();
    const w1 = variable([1, 2]);
    const w2 = variable([3, 4]);
    const y = sum(mul(p1.apply(w1), p2.apply(w2)));
    expect(gradients(y, [w1])[0].toArray()).toEqual([3, 4]);
    expect(p1.calls).toHaveLength(1);
    expect(p2.calls).toEqual([]);
  });

  it('stops at the oldest target: nothing below it is visited', () => {
    const p = probe();
    const x = variable([1, 2]);
    const h = p.apply(x);
    const [gh] = gradients(sum(mul(h, h)), [h]);
    expect(gh.toArray()).toEqual([2, 4]);
    expect(p.calls).toEqual([]);
  });

  it('walks a dense id window once a pass of that size has been seen, with the same bits as the heap', () => {
    // A chain of scalar neurons: a few thousand nodes, almost every id of the window queued at some point.
    const build = () => {
      const ws = Array.from({ length: 40 }, (_, i) => variable(Math.sin(i) / 2));
      let h = scalar(0.3);
      for (let layer = 0; layer < 60; layer++) {
        let acc = scalar(0.1);
        for (const w of ws) acc = add(acc, mul(w, h));
        h = tanh(relu(acc));
      }
      return { y: h, ws };
    };
    const open = vi.spyOn(IdWindow, 'open');
    try {
      const tiny = variable(2);
      gradients(mul(tiny, tiny), [tiny]); // the previous pass reached 2 nodes: the next window is too wide
      open.mockClear();
      const { y, ws } = build();
      const byHeap = gradients(y, ws).map((g) => g.item());
      expect(open).not.toHaveBeenCalled();
      const byWindow = gradients(y, ws).map((g) => g.item());
      expect(open).toHaveBeenCalledTimes(1);
      expect(open.mock.results[0].value).toBeInstanceOf(IdWindow);
      expect(byWindow).toEqual(byHeap);
      expect(byHeap.some((g) => g !== 0)).toBe(true);
    } finally {
      open.mockRestore();
    }
  });

  it('refuses a vjp rule that starts a graph pass of its own (it would reuse the nodes’ scratch fields)', () => {
    const p = probe(({ out }) => topologicalOrder([out]));
    const x = variable([1, 2]);
    expect(() => gradients(sum(p.apply(x)), [x])).toThrow(GraphError);
    expect(() => gradients(sum(p.apply(x)), [x])).toThrow(/traversed the graph during the reverse pass/);
  });
});
