import type { Tensor } from '../tensor/tensor.js';

/** The marks handed out so far: every pass numbers its nodes on from here. */
let marks = 0;

/**
 * The nodes one graph pass has reached, numbered in the order it reached them and found again in O(1)
 * through their scratch field (`Tensor.visitMark`) instead of a Map: hashing tens of thousands of nodes was
 * the largest cost of differentiating scalar graphs. Marks only grow from pass to pass, so a node belongs to
 * this pass when its mark is at least the pass's first one: values left by earlier passes need no clearing,
 * and one field per node does (a pass number and a slot took two, and each field of a node costs memory in
 * every node of a scalar graph; checking a slot against a list of the pass's own nodes instead cost a cache
 * miss per unvisited node and was 30% slower). A pass started later (a nested one) hands out marks this one
 * would misread, which `current()` reports. Past 2^31 marks in a process the field no longer fits V8's small
 * integers: passes get slower, not wrong (node ids have the same limit).
 */
export class NodeSlots {
  private readonly first = marks;
  private count = 0;

  /** How many nodes this pass has reached. */
  get size(): number {
    return this.count;
  }

  /** The slot of `node`, or -1 when this pass has not reached it. */
  slotOf(node: Tensor): number {
    const slot = node.visitMark - this.first;
    return slot >= 0 ? slot : -1;
  }

  /** Gives `node` (not reached yet) the next slot and returns it. */
  add(node: Tensor): number {
    node.visitMark = marks++;
    return this.count++;
  }

  /** True while no later pass has handed out marks. */
  current(): boolean {
    return marks === this.first + this.count;
  }
}
