import type { Tensor } from '../tensor/tensor.js';

/**
 * Which nodes lead to one of the targets (or are one): found on demand, by an iterative depth-first search
 * below the node asked about, and remembered. The reverse pass asks only at ops without a plain-number rule,
 * so that their vjp skips the cotangents no target needs; a scalar graph, whose plain-number rules are
 * cheaper than the question, never pays for the search.
 */
export class Relevance {
  private readonly known = new Map<Tensor, boolean>();

  constructor(targets: readonly Tensor[]) {
    for (const x of targets) this.known.set(x, true);
  }

  /** True when `node` is a target or depends on one. */
  reaches(node: Tensor): boolean {
    const { known } = this;
    const stack = [node];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (known.has(top)) {
        stack.pop();
        continue;
      }
      let pending = false;
      let reaches = false;
      for (let i = 0, input = top.inputAt(0); input; input = top.inputAt(++i)) {
        const answer = input.tracked ? known.get(input) : false;
        if (answer === undefined) {
          stack.push(input);
          pending = true;
        } else reaches ||= answer;
      }
      if (!pending) {
        known.set(top, reaches);
        stack.pop();
      }
    }
    return known.get(node)!;
  }
}
