/**
 * The scalar MLP of the micrograd workload, shared by the engines that build it one scalar op at a time
 * (chainrule and plain JS): 2-16-16-1 with ReLU on the hidden layers, its parameters one flat list in the order
 * micrograd creates them (per layer, per neuron, the weights and then the bias).
 */

/** Layer widths of the network. */
export const MICROGRAD_SIZES = [2, 16, 16, 1] as const;

/** One neuron: its weights and its bias. */
export interface Neuron<T> {
  readonly w: readonly T[];
  readonly b: T;
}

/** The scalar ops the forward pass needs, in an engine's own terms. */
export interface ScalarOps<T> {
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  relu(a: T): T;
}

/** The network's neurons, per layer, over a flat list of parameters. */
export function microgradLayers<T>(params: readonly T[]): Neuron<T>[][] {
  let at = 0;
  return MICROGRAD_SIZES.slice(1).map((fanOut, l) =>
    Array.from({ length: fanOut }, () => {
      const fanIn = MICROGRAD_SIZES[l];
      const w = params.slice(at, at + fanIn);
      at += fanIn;
      return { w, b: params[at++] };
    }),
  );
}

/** The network's score for one point: each neuron sums b + Σ wⱼ·hⱼ in order, as micrograd does. */
export function microgradScore<T>(layers: readonly Neuron<T>[][], point: readonly T[], ops: ScalarOps<T>): T {
  let h = point;
  layers.forEach((layer, l) => {
    h = layer.map((n) => {
      let act = n.b;
      for (let j = 0; j < n.w.length; j++) act = ops.add(act, ops.mul(n.w[j], h[j]));
      return l + 1 < layers.length ? ops.relu(act) : act;
    });
  });
  return h[0];
}
