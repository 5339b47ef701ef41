import type { Tensor } from '../tensor/tensor.js';

/** The reverse pass's queue: it hands out the most recently created of its nodes first. */
export interface NewestFirstQueue {
  /** How many nodes are queued. */
  readonly size: number;
  /** The id of the node `pop` would return; -1 when empty. */
  peekId(): number;
  /** Queues `node` (each node at most once: the caller keeps track). */
  push(node: Tensor): void;
  /** Removes and returns the newest queued node (the queue must not be empty). */
  pop(): Tensor;
  /** Lets go of whatever is still queued; the queue is not used afterwards. */
  close(): void;
}

/**
 * A priority queue of nodes that hands out the most recently created one first (a binary max-heap on `id`).
 * A node's inputs always exist before it, so popping in this order visits a graph from its outputs down with
 * every consumer of a node before the node itself: a reverse topological order that needs no traversal of
 * its own (PyTorch's autograd engine orders its ready queue the same way). The ids sit in an array of their
 * own, so sifting reads no node.
 */
export class LatestFirst implements NewestFirstQueue {
  private readonly nodes: Tensor[] = [];
  private readonly ids: number[] = [];

  /** How many nodes are queued. */
  get size(): number {
    return this.nodes.length;
  }

  /** The id of the node `pop` would return; -1 when empty. */
  peekId(): number {
    return this.ids.length ? this.ids[0] : -1;
  }

  /** Queues `node` (each node at most once: the caller keeps track). */
  push(node: Tensor): void {
    const { nodes, ids } = this;
    const id = node.id;
    let i = nodes.length;
    nodes.push(node);
    ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (ids[parent] >= id) break;
      nodes[i] = nodes[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    nodes[i] = node;
    ids[i] = id;
  }

  /** Nothing to let go of: the heap is the pass's own. */
  close(): void {}

  /** Removes and returns the node with the largest id (the queue must not be empty). */
  pop(): Tensor {
    const { nodes, ids } = this;
    const top = nodes[0];
    const last = nodes.pop()!;
    const lastId = ids.pop()!;
    const n = nodes.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && ids[child + 1] > ids[child]) child++;
        if (ids[child] <= lastId) break;
        nodes[i] = nodes[child];
        ids[i] = ids[child];
        i = child;
      }
      nodes[i] = last;
      ids[i] = lastId;
    }
    return top;
  }
}
