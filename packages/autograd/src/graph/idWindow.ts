import type { Tensor } from '../tensor/tensor.js';
import { GraphError } from '../errors.js';
import type { NewestFirstQueue } from './latestFirst.js';

/** Past this many ids a window's array is dropped after the pass rather than kept for the next (8 MiB). */
const MAX_KEPT = 1 << 20;

/** The array of the open window, kept from pass to pass (a fresh one per pass was garbage to collect). */
let shared: (Tensor | undefined)[] = [];
let open = false;

/**
 * A newest-first queue for nodes whose ids lie in a known window (bottom, top]: each queued node sits at its
 * id's place in one array, and `pop` walks the array down from the top. When most ids of the window are
 * queued at some point, as in the reverse pass of a scalar graph, that is cheaper than a heap (~25% less time
 * for the micrograd workload's reverse pass); when few are, the walk over empty places is wasted, so the
 * reverse pass only opens a window a few times larger than the previous pass. It relies on what the reverse
 * pass guarantees: a node pushed after a pop is older than the node popped (it is one of its inputs).
 */
export class IdWindow implements NewestFirstQueue {
  size = 0;
  /** The place `pop` looks at next; nothing above it is queued. */
  private cursor: number;

  private constructor(
    private readonly nodes: (Tensor | undefined)[],
    private readonly bottom: number,
    top: number,
  ) {
    this.cursor = top - bottom;
  }

  /**
   * A window over ids in (bottom, top], or null while another window is open (a pass inside a pass, which the
   * reverse pass reports as an error afterwards; it gets a heap meanwhile).
   */
  static open(bottom: number, top: number): IdWindow | null {
    if (open) return null;
    const places = top - bottom + 1;
    if (shared.length < places) shared = new Array<Tensor | undefined>(places).fill(undefined);
    open = true;
    return new IdWindow(shared, bottom, top);
  }

  peekId(): number {
    if (this.size === 0) return -1;
    const { nodes } = this;
    let i = this.cursor;
    while (nodes[i] === undefined) i--;
    this.cursor = i;
    return this.bottom + i;
  }

  push(node: Tensor): void {
    const place = node.id - this.bottom;
    if (place <= 0 || place > this.cursor) {
      throw new GraphError(
        'gradients',
        `node ${node.id} is outside the reverse pass's window (${this.bottom}, ${this.bottom + this.cursor}]`,
        'this is a bug in chainrule: please report it',
      );
    }
    this.nodes[place] = node;
    this.size++;
  }

  pop(): Tensor {
    const place = this.peekId() - this.bottom;
    const node = this.nodes[place]!;
    this.nodes[place] = undefined;
    this.cursor = place - 1;
    this.size--;
    return node;
  }

  close(): void {
    const { nodes } = this;
    for (let i = this.cursor; this.size > 0 && i > 0; i--) {
      if (nodes[i] !== undefined) {
        nodes[i] = undefined;
        this.size--;
      }
    }
    if (nodes.length > MAX_KEPT) shared = [];
    open = false;
  }
}
