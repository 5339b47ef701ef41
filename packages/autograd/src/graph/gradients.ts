import { GraphError } from '../errors.js';
import { isFloat } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { isTracing } from '../tensor/tracing.js';
import { withRecording } from '../ops/apply.js';
import { broadcastTo, cast, onesLike, zerosLike } from '../ops/functions.js';
import { topologicalOrder } from './topo.js';
import { reversePass } from './reversePass.js';

/** Options of `gradients`. */
export interface GradientsOptions {
  /** Record the gradient computation as a graph, so it can be printed, rendered or differentiated again. */
  readonly createGraph?: boolean;
  /** Cotangent of `y` (default: 1 for a one-element y; required otherwise). */
  readonly seed?: Tensor;
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
  // A trace must record the gradient, or it would be frozen into the compiled function as a constant.
  const createGraph = isTracing() || (options.createGraph ?? false);
  return withRecording(createGraph, () => reversePass(y, seed, xs, createGraph));
}

/** Forward-mode propagation over the graph of `out`: tangents of `inputs` pushed through every op's jvp. */
export function pushForward(
  out: Tensor,
  inputs: readonly Tensor[],
  tangents: readonly Tensor[],
  createGraph: boolean,
): Tensor {
  return withRecording(createGraph || isTracing(), () => {
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
