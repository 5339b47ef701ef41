import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scalar } from '@chainrule/autograd';
import { LatestFirst } from '../src/graph/latestFirst.js';

describe('LatestFirst (the reverse pass queue)', () => {
  it('always hands out the newest queued node, whatever the order of pushes and pops', () => {
    const nodes = Array.from({ length: 64 }, (_, i) => scalar(i));
    fc.assert(
      fc.property(
        // A script of steps: a node index to push (each at most once), or -1 to pop.
        fc.array(fc.integer({ min: -1, max: nodes.length - 1 }), { maxLength: 200 }),
        (script) => {
          const queue = new LatestFirst();
          const queued = new Set<number>();
          for (const step of script) {
            if (step >= 0 && !queued.has(step)) {
              queue.push(nodes[step]);
              queued.add(step);
            } else if (step < 0 && queued.size > 0) {
              const newest = Math.max(...queued);
              expect(queue.peekId()).toBe(nodes[newest].id);
              expect(queue.pop()).toBe(nodes[newest]);
              queued.delete(newest);
            }
            expect(queue.size).toBe(queued.size);
          }
          if (queued.size === 0) expect(queue.peekId()).toBe(-1);
        },
      ),
    );
  });
});
