/**
 * Walks a graph for printing: every node reachable from the roots, constants included, inputs before their
 * users, in the order a left-to-right depth-first walk meets them. The order (not object identity) is what
 * the printers number nodes by, so the same graph always prints the same text.
 */
import type { Tensor } from '../tensor/tensor.js';

/** All nodes reachable from `roots` (constants included), inputs first, in left-to-right depth-first order. */
export function collectNodes(roots: readonly Tensor[], seen: Set<Tensor> = new Set()): Tensor[] {
  const order: Tensor[] = [];
  const stack: { node: Tensor; next: number }[] = [];
  for (const root of roots) {
    if (seen.has(root)) continue;
    seen.add(root);
    stack.push({ node: root, next: 0 });
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputs.length) {
        const child = top.node.inputs[top.next++];
        if (!seen.has(child)) {
          seen.add(child);
          stack.push({ node: child, next: 0 });
        }
      } else {
        stack.pop();
        order.push(top.node);
      }
    }
  }
  return order;
}

/** For each node, the nodes that use it as an input (in `nodes` order). */
export function consumersOf(nodes: readonly Tensor[]): Map<Tensor, Tensor[]> {
  const users = new Map<Tensor, Tensor[]>();
  for (const node of nodes) {
    for (const input of node.inputs) {
      const list = users.get(input);
      if (list) {
        if (!list.includes(node)) list.push(node);
      } else users.set(input, [node]);
    }
  }
  return users;
}
