import { GraphError } from '../errors.js';
import { isFloat } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { constantScalar, withRecording } from '../ops/apply.js';
import { add, broadcastTo, cast, onesLike, sumToShape, zerosLike } from '../ops/functions.js';
import { topologicalOrder, traverse } from './topo.js';
import type { Traversal } from './topo.js';

/** Options of `gradients`. */
export interface GradientsOptions {
  /** Record the gradient computation as a graph, so it can be printed, rendered or differentiated again. */
  readonly createGraph?: boolean;
  /** Cotangent of `y` (default: 1 for a one-element y; required otherwise). */
  readonly seed?: Tensor;
}

/** Marks the nodes on some path to one of `xs` (by position in the traversal): only these need cotangents. */
function dependsOnTargets(t: Traversal, xs: readonly Tensor[]): Uint8Array {
  const relevant = new Uint8Array(t.order.length);
  for (const x of xs) {
    const i = t.indexOf(x);
    if (i >= 0) relevant[i] = 1;
  }
  t.order.forEach((node, k) => {
    if (relevant[k]) return;
    for (let j = 0, input = node.inputAt(0); input; input = node.inputAt(++j)) {
      const i = t.indexOf(input);
      if (i >= 0 && relevant[i]) {
        relevant[k] = 1;
        return;
      }
    }
  });
  return relevant;
}

/**
 * The cotangents of one reverse pass, by position in the traversal. A 0-d float64 node's cotangent may be a
 * plain number (the scalar fast path, when no graph is recorded); contributions are summed in arrival order
 * either way, so both paths give the same bits.
 */
class Cotangents {
  private readonly tensors: (Tensor | undefined)[];
  private readonly numbers: Float64Array;
  /** 0: none yet, 1: a number, 2: a tensor. */
  private readonly kinds: Uint8Array;

  constructor(size: number) {
    this.tensors = new Array<Tensor | undefined>(size);
    this.numbers = new Float64Array(size);
    this.kinds = new Uint8Array(size);
  }

  has(i: number): boolean {
    return this.kinds[i] !== 0;
  }

  number(i: number): number {
    return this.kinds[i] === 1 ? this.numbers[i] : this.tensors[i]!.scalarValue();
  }

  tensor(i: number): Tensor {
    return this.kinds[i] === 1 ? constantScalar(this.numbers[i], 'float64') : this.tensors[i]!;
  }

  addNumber(i: number, c: number): void {
    if (this.kinds[i] === 0) {
      this.kinds[i] = 1;
      this.numbers[i] = c;
    } else if (this.kinds[i] === 1) this.numbers[i] += c;
    else this.tensors[i] = add(this.tensors[i]!, constantScalar(c, 'float64'));
  }

  addTensor(i: number, c: Tensor): void {
    const kind = this.kinds[i];
    this.tensors[i] = kind === 0 ? c : add(this.tensor(i), c);
    this.kinds[i] = 2;
  }
}

function checkSeed(y: Tensor, seed: Tensor | undefined): Tensor {
  if (seed) {
    if (!sameShape(seed.shape, y.shape)) {
      throw new GraphError(
        'gradients',
        `seed of shape ${formatShape(seed.shape)} does not match output ${formatShape(y.shape)}`,
        "the seed (cotangent) must have the output's shape",
      );
    }
    return cast(seed, y.dtype);
  }
  if (y.size !== 1) {
    throw new GraphError(
      'gradients',
      `output has shape ${formatShape(y.shape)}, not one element`,
      'reduce it to a scalar (sum, mean) or pass { seed } with its shape',
    );
  }
  return onesLike(y);
}

/**
 * Reverse-mode differentiation of `y` with respect to `xs` (variables or any intermediate node). Returns one
 * gradient per x, with x's shape and dtype; an x that y does not depend on gets zeros. With `createGraph`,
 * the gradients are recorded graphs built from the same ops; otherwise they are constants and no node is
 * recorded. Nothing is stored on the tensors: calling it twice gives the same answer twice.
 */
export function gradients(y: Tensor, xs: readonly Tensor[], options: GradientsOptions = {}): Tensor[] {
  for (const x of xs) {
    if (!isFloat(x.dtype))
      throw new GraphError(
        'gradients',
        `cannot differentiate with respect to an ${x.dtype} tensor`,
        'only float32 and float64 tensors have gradients',
      );
  }
  const seed = checkSeed(y, options.seed);
  const createGraph = options.createGraph ?? false;
  return withRecording(createGraph, () => {
    const traversal = traverse([y]);
    const { order } = traversal;
    const relevant = dependsOnTargets(traversal, xs);
    const cotangents = new Cotangents(order.length);
    const root = order.length - 1;
    if (root >= 0 && relevant[root]) cotangents.addTensor(root, seed);
    for (let k = root; k >= 0; k--) {
      const node = order[k];
      if (!relevant[k] || !cotangents.has(k) || !node.op) continue;
      const rules = node.op.scalar;
      if (!createGraph && rules !== undefined && node.dtype === 'float64' && node.shape.length === 0) {
        // An elementwise op with a 0-d output has one or two 0-d inputs of its dtype: the whole rule runs on
        // numbers.
        const g = cotangents.number(k);
        const first = node.input0!;
        const second = node.input1;
        const a = first.scalarValue();
        const b = second ? second.scalarValue() : 0;
        const out = node.scalarValue();
        const at0 = traversal.indexOf(first);
        if (at0 >= 0 && relevant[at0]) cotangents.addNumber(at0, rules.vjp(g, 0, a, b, out, node.attrs));
        const at1 = second ? traversal.indexOf(second) : -1;
        if (at1 >= 0 && relevant[at1]) cotangents.addNumber(at1, rules.vjp(g, 1, a, b, out, node.attrs));
        continue;
      }
      const inputs = node.inputs;
      const positions = inputs.map((input) => traversal.indexOf(input));
      const needs = inputs.map(
        (input, i) => positions[i] >= 0 && relevant[positions[i]] === 1 && isFloat(input.dtype),
      );
      const grads = node.op.vjp({ g: cotangents.tensor(k), inputs, out: node, attrs: node.attrs, needs });
      for (let i = 0; i < inputs.length; i++) {
        const gi = grads[i];
        if (!gi || !needs[i]) continue;
        cotangents.addTensor(positions[i], cast(sumToShape(gi, inputs[i].shape), inputs[i].dtype));
      }
    }
    if (!traversal.current()) {
      throw new GraphError(
        'gradients',
        'a vjp rule traversed the graph during the reverse pass',
        'vjp rules must only apply ops',
      );
    }
    return xs.map((x) => {
      const at = traversal.indexOf(x);
      return at >= 0 && cotangents.has(at) ? cotangents.tensor(at) : zerosLike(x);
    });
  });
}

/** Forward-mode propagation over the graph of `out`: tangents of `inputs` pushed through every op's jvp. */
export function pushForward(
  out: Tensor,
  inputs: readonly Tensor[],
  tangents: readonly Tensor[],
  createGraph: boolean,
): Tensor {
  return withRecording(createGraph, () => {
    const tangent = new Map<Tensor, Tensor>();
    inputs.forEach((x, i) => tangent.set(x, cast(broadcastTo(tangents[i], x.shape), x.dtype)));
    for (const node of topologicalOrder([out])) {
      if (!node.op || tangent.has(node)) continue;
      const ts = node.inputs.map((i) => tangent.get(i) ?? null);
      if (!ts.some((t) => t)) continue;
      const t = node.op.jvp({ tangents: ts, inputs: node.inputs, out: node, attrs: node.attrs });
      if (t) tangent.set(node, cast(broadcastTo(t, node.shape), node.dtype));
    }
    return tangent.get(out) ?? zerosLike(out);
  });
}
