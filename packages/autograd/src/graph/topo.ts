import type { Tensor } from '../tensor/tensor.js';

let traversals = 0;

/** A finished traversal: its order, and each node's position in it. */
export interface Traversal {
  readonly order: Tensor[];
  /** The position of `node` in `order`, or -1 when the traversal did not reach it. */
  indexOf(node: Tensor): number;
  /** True while no later traversal has reused the nodes' scratch fields. */
  current(): boolean;
}

/**
 * The tracked nodes reachable from `roots`, inputs before the nodes that use them, with O(1) positions.
 * Iterative, so a chain of 100,000 nodes does not overflow the call stack. Visited nodes are marked in their
 * scratch fields (a stamp per traversal) rather than in a Set: hashing tens of thousands of objects was the
 * largest cost of differentiating scalar graphs.
 */
export function traverse(roots: readonly Tensor[]): Traversal {
  const stamp = ++traversals;
  const order: Tensor[] = [];
  const nodes: Tensor[] = [];
  const next: number[] = [];
  const visit = (node: Tensor) => {
    node.visitStamp = stamp;
    node.visitIndex = -1;
    nodes.push(node);
    next.push(0);
  };
  for (const root of roots) {
    if (!root.tracked || root.visitStamp === stamp) continue;
    visit(root);
    while (nodes.length) {
      const top = nodes.length - 1;
      const node = nodes[top];
      const i = next[top];
      const child = node.inputAt(i);
      if (child) {
        next[top] = i + 1;
        if (child.tracked && child.visitStamp !== stamp) visit(child);
      } else {
        nodes.pop();
        next.pop();
        node.visitIndex = order.length;
        order.push(node);
      }
    }
  }
  return {
    order,
    indexOf: (node) => (node.visitStamp === stamp ? node.visitIndex : -1),
    current: () => traversals === stamp,
  };
}

/** The tracked nodes reachable from `roots`, inputs before the nodes that use them. */
export function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  return traverse(roots).order;
}
