import type { Tensor } from '../tensor/tensor.js';

/**
 * The tracked nodes reachable from `roots`, inputs before the nodes that use them. Iterative, so a chain of
 * 100,000 nodes does not overflow the call stack.
 */
export function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const nodes: Tensor[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (!root.tracked || visited.has(root)) continue;
    visited.add(root);
    nodes.push(root);
    next.push(0);
    while (nodes.length) {
      const top = nodes.length - 1;
      const node = nodes[top];
      const i = next[top];
      if (i < node.inputs.length) {
        next[top] = i + 1;
        const child = node.inputs[i];
        if (child.tracked && !visited.has(child)) {
          visited.add(child);
          nodes.push(child);
          next.push(0);
        }
      } else {
        nodes.pop();
        next.pop();
        order.push(node);
      }
    }
  }
  return order;
}
