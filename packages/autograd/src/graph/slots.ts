import type { Tensor } from '../tensor/tensor.js';

/** Counts the passes that claimed the nodes' scratch field; the latest one owns it. */
let passes = 0;

/**
 * The nodes one graph pass has reached, numbered in the order it reached them and found again in O(1)
 * through their scratch fields (`Tensor.visitPass`, `Tensor.visitSlot`) instead of a Map: hashing tens of
 * thousands of nodes was the largest cost of differentiating scalar graphs. Each pass has a number of its
 * own, so values left by earlier passes need no clearing (checking a slot against a list of the pass's nodes
 * instead, with one field less per node, cost a cache miss per unvisited node and was 30% slower). Creating
 * one claims the fields: a pass started later (a nested one) overwrites them, which `current()` reports.
 */
export class NodeSlots {
  private readonly pass = ++passes;
  private count = 0;

  /** The slot of `node`, or -1 when this pass has not reached it. */
  slotOf(node: Tensor): number {
    return node.visitPass === this.pass ? node.visitSlot : -1;
  }

  /** Gives `node` (not reached yet) the next slot and returns it. */
  add(node: Tensor): number {
    node.visitPass = this.pass;
    node.visitSlot = this.count;
    return this.count++;
  }

  /** True while no later pass has claimed the scratch field. */
  current(): boolean {
    return passes === this.pass;
  }
}
