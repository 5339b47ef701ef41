import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { constantScalar } from '../ops/apply.js';
import { add, cast, sumToShape, zerosLike } from '../ops/functions.js';
import { GraphError } from '../errors.js';
import { LatestFirst } from './latestFirst.js';
import type { NewestFirstQueue } from './latestFirst.js';
import { IdWindow } from './idWindow.js';
import { NodeSlots } from './slots.js';
import { Relevance } from './relevance.js';

const INITIAL_SCRATCH = 1024;
/** Past this many slots (8 MiB) a pass's number array is dropped afterwards rather than kept for the next. */
const MAX_KEPT_SCRATCH = 1 << 20;
/**
 * The cotangent numbers of the running pass, by slot, kept from pass to pass: a scalar graph's pass fills one
 * per node, and a fresh array each time was garbage the collector had to make room for. Passes never nest
 * (`NodeSlots.current` refuses it), so one array serves them all.
 */
let scratch: Float64Array = new Float64Array(INITIAL_SCRATCH);

/**
 * The numbers a scalar vjp reads and writes (`ScalarRules.vjp`), one array for every call; also how a number
 * contribution reaches `addNumber`.
 */
const scalarIo = new Float64Array(4);

/** How many nodes the previous pass reached: what the next pass's window of ids will likely hold. */
let previousReach = 0;
/**
 * The reverse pass walks an id window (`IdWindow`) instead of keeping a heap when the window is at most this
 * many times the previous pass's node count, plus a little: a training loop's passes are alike, so the walk
 * then wastes at most a few empty places per node. Never beyond MAX_WINDOW ids (32 MiB of places).
 */
const WINDOW_PER_NODE = 4;
const WINDOW_SLACK = 1024;
const MAX_WINDOW = 1 << 22;

/** The queue for a pass over nodes newer than `oldest`, up to `top`. */
function newestFirstQueue(oldest: number, top: number): NewestFirstQueue {
  const span = top - oldest;
  const dense = span > 0 && span <= Math.min(MAX_WINDOW, WINDOW_PER_NODE * previousReach + WINDOW_SLACK);
  return (dense && IdWindow.open(oldest, top)) || new LatestFirst();
}

/** A copy of `numbers` with twice the room. */
function grown(numbers: Float64Array): Float64Array {
  const bigger = new Float64Array(numbers.length * 2);
  bigger.set(numbers);
  return bigger;
}

/**
 * One reverse-mode pass from `y` (with cotangent `seed`) down to the targets `xs`; returns the gradient of
 * each target. Nodes are processed latest first (`newestFirstQueue`: a heap, or a walk down a dense window of
 * ids), so each one's cotangent is complete when its turn comes, and the pass stops once the nodes left are
 * no newer than every target (they cannot lead to one). Each node reached gets a slot (`NodeSlots`) and its
 * cotangent sits at that slot: a plain number while every contribution was one (0-d float64 ops when no graph
 * is recorded, the scalar fast path), else a tensor. Contributions are summed in arrival order either way, so
 * both paths give the same bits.
 */
export function reversePass(y: Tensor, seed: Tensor, xs: readonly Tensor[], createGraph: boolean): Tensor[] {
  const slots = new NodeSlots();
  /** Asked only at ops without plain-number rules, so made on first use (a scalar graph never needs it). */
  let relevance: Relevance | undefined;
  /** The id of the oldest tracked target: ops no newer than it cannot lead to a target. */
  let oldest = Infinity;
  for (const x of xs) if (x.tracked && x.id < oldest) oldest = x.id;
  const queue = newestFirstQueue(oldest, y.id);
  /**
   * Cotangents by slot: the sum so far as a number (in the shared `scratch`), unless `tensors` holds one. A
   * Map, not a second array: in a scalar graph almost no slot has a tensor, and an array of them, one entry
   * per node, made the pass 30% slower.
   */
  let numbers = scratch;
  const tensors = new Map<number, Tensor>();

  /**
   * Gives a node reached for the first time its slot and queues it if it may lead on; the caller stores its
   * first contribution.
   */
  const reach = (node: Tensor): number => {
    const slot = slots.add(node);
    if (slot === numbers.length) numbers = scratch = grown(numbers);
    if (node.op && node.id > oldest) queue.push(node);
    return slot;
  };
  const tensorAt = (slot: number) => tensors.get(slot) ?? constantScalar(numbers[slot], 'float64');
  /**
   * Adds `scalarIo[i]` to the cotangent of `node`. The number is read here rather than passed in: V8 boxes a
   * fractional number passed to a call it does not inline, one garbage object per contribution.
   */
  const addNumber = (node: Tensor, i: number) => {
    const c = scalarIo[i];
    const slot = slots.slotOf(node);
    if (slot < 0) {
      const reached = reach(node);
      numbers[reached] = c;
    } else if (tensors.size === 0 || !tensors.has(slot)) numbers[slot] += c;
    else tensors.set(slot, add(tensors.get(slot)!, constantScalar(c, 'float64')));
  };
  const addTensor = (node: Tensor, c: Tensor) => {
    const slot = slots.slotOf(node);
    if (slot < 0) tensors.set(reach(node), c);
    else tensors.set(slot, add(tensorAt(slot), c));
  };

  /** True when a node's cotangent is kept as a plain number: a 0-d float64 node in a pass that records nothing. */
  const numberCotangent = (t: Tensor) => !createGraph && t.dtype === 'float64' && t.shape.length === 0;

  try {
    // The seed has y's shape and dtype.
    if (y.tracked) {
      if (numberCotangent(y)) {
        scalarIo[0] = seed.scalarValue();
        addNumber(y, 0);
      } else addTensor(y, seed);
    }
    while (queue.size > 0 && queue.peekId() > oldest) {
      const node = queue.pop();
      const slot = slots.slotOf(node);
      const op = node.op!;
      const rules = op.scalar;
      if (rules !== undefined && numberCotangent(node)) {
        // An elementwise op with a 0-d output has one or two 0-d inputs of its dtype: the whole rule runs on
        // numbers.
        const cotangent = tensors.size === 0 ? undefined : tensors.get(slot);
        const g = cotangent === undefined ? numbers[slot] : cotangent.scalarValue();
        const first = node.input0!;
        const second = node.input1;
        const io = scalarIo;
        io[0] = g;
        io[1] = first.scalarValue();
        io[2] = second ? second.scalarValue() : 0;
        io[3] = node.scalarValue();
        rules.vjp(io, node.attrs);
        if (first.tracked) addNumber(first, 0);
        if (second?.tracked) addNumber(second, 1);
        continue;
      }
      const inputs = node.inputs;
      const needs = inputs.map(
        (x) => x.tracked && isFloat(x.dtype) && (relevance ??= new Relevance(xs)).reaches(x),
      );
      const grads = op.vjp({ g: tensorAt(slot), inputs, out: node, attrs: node.attrs, needs });
      for (let i = 0; i < inputs.length; i++) {
        const gi = grads[i];
        if (gi && needs[i]) addTensor(inputs[i], cast(sumToShape(gi, inputs[i].shape), inputs[i].dtype));
      }
    }
  } finally {
    queue.close();
  }
  previousReach = slots.size;
  if (!slots.current()) {
    throw new GraphError(
      'gradients',
      'a vjp rule traversed the graph during the reverse pass',
      'vjp rules must only apply ops',
    );
  }
  const grads = xs.map((x) => {
    const slot = slots.slotOf(x);
    return slot >= 0 ? tensorAt(slot) : zerosLike(x);
  });
  if (scratch.length > MAX_KEPT_SCRATCH) scratch = new Float64Array(INITIAL_SCRATCH);
  return grads;
}
