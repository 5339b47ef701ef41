/**
 * The differentiated half of a training step — the batch loss, the model's output, the gradients and the
 * model's next state — run eagerly or as one compiled function (`jit`). Updating the weights stays outside.
 */
import type { Seed, Tensor } from '@chainrule/autograd';
import { Map as ImmutableMap } from 'immutable';
import { jit, valueAndGrad } from '@chainrule/autograd';
import type { Loss } from '../losses.js';
import type { Module } from '../module.js';
import type { Params, State } from '../types.js';

/** What one batch gives: the loss (with the regularizer), the output, the gradients and the next state. */
export interface StepResult {
  readonly value: Tensor;
  readonly output: Tensor;
  readonly grads: Params;
  readonly state: State;
}

/** Computes a batch's StepResult for the given weights; `seed` seeds the batch's dropout masks. */
export type LossAndGradients = (
  params: Params,
  state: State,
  xb: Tensor,
  yb: Tensor,
  seed: Seed,
) => StepResult;

/** The step run eagerly: the forward pass in training mode, the loss, and valueAndGrad over the parameters. */
export function eagerStep(
  model: Module,
  loss: Loss,
  regularizer: ((params: Params) => Tensor) | undefined,
): LossAndGradients {
  return (params, state, xb, yb, seed) => {
    let output: Tensor | undefined;
    let nextState = state;
    const lossOf = (p: Params) => {
      const result = model.forward(p, xb, { training: true, seed, state });
      output = result.output;
      nextState = result.state;
      const value = loss(result.output, yb);
      return regularizer ? value.add(regularizer(p)) : value;
    };
    const { value, grads } = valueAndGrad<Params>(lossOf)(params);
    return { value, output: output as Tensor, grads, state: nextState };
  };
}

/** The tensors of a flat tree (parameters, state) in the order of `keys`. */
const inOrder = (tree: Params, keys: readonly string[]): Tensor[] => keys.map((k) => tree.get(k) as Tensor);

/** A flat tree of `keys` and their tensors. */
const treeOf = (keys: readonly string[], leaves: readonly Tensor[]): Params =>
  ImmutableMap(keys.map((k, i) => [k, leaves[i]] as const));

/**
 * The step compiled with `jit` (one trace per batch shape, the eager bits), or the eager step where the model
 * cannot be compiled: the first time a compiled call throws — a layer that draws random numbers, such as
 * dropout, or code that reads traced values — this step runs eagerly from then on, and the eager call repeats
 * any error that was the data's or the model's own. `compiled()` tells which way the steps run.
 */
export function compiledStep(eager: LossAndGradients): LossAndGradients & { compiled(): boolean } {
  let failed = false;
  let compiled: ((...args: Tensor[]) => Tensor[]) | undefined;
  let paramKeys: readonly string[] = [];
  let stateKeys: readonly string[] = [];
  /** The keys of the next state, as the trace found them (a replay runs no layer code). */
  let nextStateKeys: readonly string[] = [];
  const compileFor = (params: Params, state: State, seed: Seed) => {
    paramKeys = [...params.keys()];
    stateKeys = [...state.keys()];
    return jit((xb: Tensor, yb: Tensor, ...leaves: Tensor[]) => {
      const p = treeOf(paramKeys, leaves.slice(0, paramKeys.length));
      const r = eager(p, treeOf(stateKeys, leaves.slice(paramKeys.length)), xb, yb, seed);
      nextStateKeys = [...r.state.keys()];
      return [r.value, r.output, ...inOrder(r.grads, paramKeys), ...inOrder(r.state, nextStateKeys)];
    });
  };
  const step = (params: Params, state: State, xb: Tensor, yb: Tensor, seed: Seed): StepResult => {
    if (!failed) {
      try {
        compiled ??= compileFor(params, state, seed);
        const out = compiled(xb, yb, ...inOrder(params, paramKeys), ...inOrder(state, stateKeys));
        const gradEnd = 2 + paramKeys.length;
        return {
          value: out[0],
          output: out[1],
          grads: treeOf(paramKeys, out.slice(2, gradEnd)),
          state: treeOf(nextStateKeys, out.slice(gradEnd)),
        };
      } catch {
        failed = true;
      }
    }
    return eager(params, state, xb, yb, seed);
  };
  return Object.assign(step, { compiled: () => !failed && compiled !== undefined });
}
