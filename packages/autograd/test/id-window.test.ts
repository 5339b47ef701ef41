import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GraphError, scalar } from '@chainrule/autograd';
import { IdWindow } from '../src/graph/idWindow.js';
import { LatestFirst } from '../src/graph/latestFirst.js';

describe('IdWindow (the reverse pass queue for dense id windows)', () => {
  const nodes = Array.from({ length: 64 }, (_, i) => scalar(i));
  const bottom = nodes[0].id - 1;
  const top = nodes[nodes.length - 1].id;

  it('hands out nodes in the heap’s order when each push after a pop is older than the node popped', () => {
    fc.assert(
      fc.property(
        // A script of steps: a node index to push, or -1 to pop. Pushes that would break the reverse pass's
        // rule (a node newer than the last one popped, or one queued before) are skipped, as the pass never
        // makes them.
        fc.array(fc.integer({ min: -1, max: nodes.length - 1 }), { maxLength: 200 }),
        (script) => {
          const window = IdWindow.open(bottom, top)!;
          const heap = new LatestFirst();
          const queued = new Set<number>();
          let lastPopped = nodes.length;
          try {
            for (const step of script) {
              if (step >= 0 && step < lastPopped && !queued.has(step)) {
                window.push(nodes[step]);
                heap.push(nodes[step]);
                queued.add(step);
              } else if (step < 0 && queued.size > 0) {
                expect(window.peekId()).toBe(heap.peekId());
                const node = window.pop();
                expect(node).toBe(heap.pop());
                lastPopped = nodes.indexOf(node);
                queued.delete(lastPopped);
              }
              expect(window.size).toBe(heap.size);
            }
            if (queued.size === 0) expect(window.peekId()).toBe(-1);
          } finally {
            window.close();
          }
        },
      ),
    );
  });

  it('closing lets go of what is still queued: the next window starts empty', () => {
    const first = IdWindow.open(bottom, top)!;
    first.push(nodes[10]);
    first.push(nodes[3]);
    first.close();
    const next = IdWindow.open(bottom, top)!;
    expect(next.size).toBe(0);
    next.push(nodes[5]);
    expect(next.pop()).toBe(nodes[5]);
    expect(next.peekId()).toBe(-1);
    next.close();
  });

  it('opens one window at a time, and refuses a node outside the window or above the last pop', () => {
    const window = IdWindow.open(bottom, top)!;
    expect(IdWindow.open(bottom, top)).toBeNull();
    window.push(nodes[20]);
    expect(window.pop()).toBe(nodes[20]);
    expect(() => window.push(nodes[30])).toThrow(GraphError);
    expect(() => window.push(scalar(1))).toThrow(/outside the reverse pass's window/);
    window.close();
    IdWindow.open(bottom, top)!.close();
  });
});
