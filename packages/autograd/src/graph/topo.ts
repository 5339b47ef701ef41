import type { Tensor } from '../tensor/tensor.js';
import { NodeSlots } from './slots.js';

/**
 * The tracked nodes reachable from `roots`, inputs before the nodes that use them (a depth-first post-order).
 * Iterative, so a chain of 100,000 nodes does not overflow the call stack.
 */
export function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const seen = new NodeSlots();
  const order: Tensor[] = [];
  const stack: Tensor[] = [];
  const next: number[] = [];
  const visit = (node: Tensor) => {
    seen.add(node);
    stack.push(node);
    next.push(0);
  };
  for (const root of roots) {
    if (!root.tracked || seen.slotOf(root) >= 0) continue;
    visit(root);
    while (stack.length) {
      const top = stack.length - 1;
      const child = stack[top].inputAt(next[top]);
      if (child) {
        next[top]++;
        if (child.tracked && seen.slotOf(child) < 0) visit(child);
      } else {
        order.push(stack.pop()!);
        next.pop();
      }
    }
  }
  return order;
}
